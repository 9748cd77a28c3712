package io.jynamo.llm.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.jynamo.api.ErrorCategory;
import io.jynamo.api.output.EngineOutput;
import io.jynamo.api.output.FinishReason;
import io.jynamo.api.output.TokenLogprob;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link EngineOutput} as JSON, told apart by {@code type} (default {@code tokens}):
 * <pre>{@code
 * {"type": "tokens", "index": 0, "token_ids": [5], "logprobs": [-0.1],
 *  "top_logprobs": [[{"token": 5, "logprob": -0.1}]]}
 * {"type": "finished", "index": 0, "reason": "stop", "prompt_tokens": 3, "completion_tokens": 1}
 * {"type": "failed", "index": 0, "category": "bad_request", "message": "..."}
 * {"type": "accepted"}
 * }</pre>
 * {@code accepted} is the first item a worker sends once its engine took the request; it decodes to null.
 * Unknown reasons decode as {@code error}, unknown categories as {@code internal}.
 */
public final class OutputCodec {
    private static final byte[] ACCEPTED = "{\"type\":\"accepted\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private OutputCodec() {
    }

    public static byte[] accepted() {
        return ACCEPTED.clone();
    }

    public static byte[] encode(EngineOutput item) {
        return Json.write(g -> write(g, item));
    }

    static void write(JsonGenerator g, EngineOutput item) throws IOException {
        g.writeStartObject();
        switch (item) {
            case EngineOutput.Tokens t -> {
                g.writeStringField("type", "tokens");
                g.writeNumberField("index", t.index());
                Json.intArray(g, "token_ids", t.tokenIds());
                if (t.logprobs() != null) {
                    g.writeArrayFieldStart("logprobs");
                    for (float f : t.logprobs()) {
                        g.writeNumber(f);
                    }
                    g.writeEndArray();
                }
                if (t.topLogprobs() != null) {
                    g.writeArrayFieldStart("top_logprobs");
                    for (List<TokenLogprob> position : t.topLogprobs()) {
                        g.writeStartArray();
                        for (TokenLogprob lp : position) {
                            g.writeStartObject();
                            g.writeNumberField("token", lp.token());
                            g.writeNumberField("logprob", lp.logprob());
                            g.writeEndObject();
                        }
                        g.writeEndArray();
                    }
                    g.writeEndArray();
                }
            }
            case EngineOutput.Finished f -> {
                g.writeStringField("type", "finished");
                g.writeNumberField("index", f.index());
                g.writeStringField("reason", f.reason().name().toLowerCase(Locale.ROOT));
                g.writeNumberField("prompt_tokens", f.promptTokens());
                g.writeNumberField("completion_tokens", f.completionTokens());
            }
            case EngineOutput.Failed f -> {
                g.writeStringField("type", "failed");
                g.writeNumberField("index", f.index());
                g.writeStringField("category", f.category().wireName());
                g.writeStringField("message", f.message());
            }
        }
        g.writeEndObject();
    }

    /** Parses an item; null for the {@code accepted} item. Malformed input throws a BAD_REQUEST exception. */
    public static EngineOutput decode(byte[] json) {
        JsonNode o = Json.read(json, "an engine output");
        int index = Json.integer(o, "index", 0);
        return switch (Json.text(o, "type", "tokens")) {
            case "tokens" -> new EngineOutput.Tokens(index, Json.ints(o.get("token_ids"), "token_ids"),
                    floats(o.get("logprobs")), tops(o.get("top_logprobs")));
            case "finished" -> new EngineOutput.Finished(index, reason(Json.text(o, "reason", "stop")),
                    Json.integer(o, "prompt_tokens", 0), Json.integer(o, "completion_tokens", 0));
            case "failed" -> new EngineOutput.Failed(index, ErrorCategory.fromWire(Json.text(o, "category", "internal")),
                    Json.text(o, "message", "the worker failed this sequence"));
            case "accepted" -> null;
            default -> throw new CodecException("unknown engine output type '" + o.get("type").asText() + "'");
        };
    }

    private static float[] floats(JsonNode a) {
        if (a == null || a.isNull()) {
            return null;
        }
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).floatValue();
        }
        return out;
    }

    private static List<List<TokenLogprob>> tops(JsonNode a) {
        if (a == null || a.isNull()) {
            return null;
        }
        List<List<TokenLogprob>> out = new ArrayList<>(a.size());
        for (JsonNode position : a) {
            List<TokenLogprob> alts = new ArrayList<>(position.size());
            for (JsonNode lp : position) {
                alts.add(new TokenLogprob(Json.integer(lp, "token", 0), Json.number(lp, "logprob", 0f)));
            }
            out.add(List.copyOf(alts));
        }
        return List.copyOf(out);
    }

    static FinishReason reason(String s) {
        try {
            return FinishReason.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return FinishReason.ERROR;
        }
    }

    /** An error category from its wire name; unknown names are INTERNAL. */
}
