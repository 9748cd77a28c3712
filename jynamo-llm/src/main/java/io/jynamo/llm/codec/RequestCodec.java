package io.jynamo.llm.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.jynamo.api.request.OutputOptions;
import io.jynamo.api.request.PreprocessedRequest;
import io.jynamo.api.request.SamplingOptions;
import io.jynamo.api.request.StopConditions;

import java.io.IOException;
import java.util.UUID;

/**
 * {@link PreprocessedRequest} as JSON:
 * <pre>{@code
 * {"request_id": "r1", "model": "m", "token_ids": [1, 2], "n": 1,
 *  "sampling": {"temperature": 0, "top_k": 0, "top_p": 1, "min_p": 0, "seed": null,
 *               "repetition_penalty": 1, "frequency_penalty": 0, "presence_penalty": 0},
 *  "stop": {"max_tokens": 16, "min_tokens": 0, "stop_token_ids": [], "ignore_eos": false},
 *  "output": {"logprobs": false, "top_logprobs": 0}}
 * }</pre>
 * Defaults: a random request id, no model, {@code SamplingOptions.DEFAULTS} for each missing sampling field
 * (temperature 1, as over HTTP), max_tokens 16, n 1, no logprobs. An empty
 * or missing prompt is a BAD_REQUEST (the record's own check).
 */
public final class RequestCodec {
    private RequestCodec() {
    }

    public static byte[] encode(PreprocessedRequest r) {
        return Json.write(g -> write(g, r));
    }

    static void write(JsonGenerator g, PreprocessedRequest r) throws IOException {
        g.writeStartObject();
        g.writeStringField("request_id", r.requestId());
        if (r.model() != null) {
            g.writeStringField("model", r.model());
        }
        Json.intArray(g, "token_ids", r.tokenIds());
        g.writeNumberField("n", r.n());
        SamplingOptions s = r.sampling();
        g.writeObjectFieldStart("sampling");
        g.writeNumberField("temperature", s.temperature());
        g.writeNumberField("top_k", s.topK());
        g.writeNumberField("top_p", s.topP());
        g.writeNumberField("min_p", s.minP());
        if (s.seed() != null) {
            g.writeNumberField("seed", s.seed());
        }
        g.writeNumberField("repetition_penalty", s.repetitionPenalty());
        g.writeNumberField("frequency_penalty", s.frequencyPenalty());
        g.writeNumberField("presence_penalty", s.presencePenalty());
        g.writeEndObject();
        StopConditions st = r.stop();
        g.writeObjectFieldStart("stop");
        g.writeNumberField("max_tokens", st.maxTokens());
        g.writeNumberField("min_tokens", st.minTokens());
        Json.intArray(g, "stop_token_ids", st.stopTokenIds());
        g.writeBooleanField("ignore_eos", st.ignoreEos());
        g.writeEndObject();
        g.writeObjectFieldStart("output");
        g.writeBooleanField("logprobs", r.output().logprobs());
        g.writeNumberField("top_logprobs", r.output().topLogprobs());
        g.writeEndObject();
        g.writeEndObject();
    }

    /** Parses a request; a malformed or invalid one throws a BAD_REQUEST exception. */
    public static PreprocessedRequest decode(byte[] json) {
        return read(Json.read(json, "the request"));
    }

    static PreprocessedRequest read(JsonNode o) {
        SamplingOptions g = SamplingOptions.DEFAULTS;
        JsonNode s = object(o, "sampling");
        JsonNode seed = s.get("seed");
        if (seed != null && !seed.isNull() && !seed.canConvertToLong()) {
            throw new CodecException("seed must be an integer");
        }
        SamplingOptions sampling = new SamplingOptions(Json.number(s, "temperature", g.temperature()),
                Json.integer(s, "top_k", g.topK()), Json.number(s, "top_p", g.topP()), Json.number(s, "min_p", g.minP()),
                seed == null || seed.isNull() ? null : seed.longValue(),
                Json.number(s, "repetition_penalty", g.repetitionPenalty()),
                Json.number(s, "frequency_penalty", g.frequencyPenalty()),
                Json.number(s, "presence_penalty", g.presencePenalty()));
        JsonNode st = object(o, "stop");
        StopConditions stop = new StopConditions(Json.integer(st, "max_tokens", 16), Json.integer(st, "min_tokens", 0),
                Json.ints(st.get("stop_token_ids"), "stop_token_ids"), Json.bool(st, "ignore_eos", false));
        JsonNode out = object(o, "output");
        OutputOptions output = new OutputOptions(Json.bool(out, "logprobs", false), Json.integer(out, "top_logprobs", 0));
        String id = Json.text(o, "request_id", null);
        return new PreprocessedRequest(id == null ? UUID.randomUUID().toString() : id, Json.text(o, "model", null),
                Json.ints(o.get("token_ids"), "token_ids"), sampling, stop, output, Json.integer(o, "n", 1));
    }

    private static JsonNode object(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        if (!v.isObject()) {
            throw new CodecException(field + " must be an object");
        }
        return v;
    }
}
