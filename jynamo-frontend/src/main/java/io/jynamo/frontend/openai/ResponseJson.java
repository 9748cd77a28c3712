package io.jynamo.frontend.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.jynamo.api.output.TokenLogprob;
import io.jynamo.llm.Tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes OpenAI's response, chunk and error bodies with Jackson's streaming generator (no
 * intermediate objects). Field order follows OpenAI's own responses.
 */
public final class ResponseJson {
    static final JsonFactory JSON = new JsonFactory();

    private ResponseJson() {
    }

    /** Writes one JSON value. */
    @FunctionalInterface
    public interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    public static byte[] write(Body body) {
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code {"error": {"message", "type", "param", "code"}}}. */
    public static byte[] error(String message, String type, String param, String code) {
        return write(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeStringField("message", message);
            g.writeStringField("type", type);
            g.writeStringField("param", param);
            g.writeStringField("code", code);
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    public static void usage(JsonGenerator g, Usage u) throws IOException {
        g.writeObjectFieldStart("usage");
        g.writeNumberField("prompt_tokens", u.promptTokens());
        g.writeNumberField("completion_tokens", u.completionTokens());
        g.writeNumberField("total_tokens", u.promptTokens() + u.completionTokens());
        g.writeEndObject();
    }

    /** Chat logprobs: {@code {"content": [{token, logprob, bytes, top_logprobs: [{token, logprob, bytes}]}]}}. */
    public static void chatLogprobs(JsonGenerator g, LogprobList l, Tokenizer tokenizer) throws IOException {
        g.writeObjectFieldStart("logprobs");
        g.writeArrayFieldStart("content");
        for (int i = 0; i < l.size(); i++) {
            g.writeStartObject();
            tokenFields(g, tokenizer, l.id(i), l.logprob(i));
            g.writeArrayFieldStart("top_logprobs");
            for (TokenLogprob t : l.top(i)) {
                g.writeStartObject();
                tokenFields(g, tokenizer, t.token(), t.logprob());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /**
     * Completions logprobs: {@code {tokens, token_logprobs, top_logprobs: [{token: logprob}], text_offset}};
     * returns the text offset after these tokens.
     */
    public static int completionLogprobs(JsonGenerator g, LogprobList l, Tokenizer tokenizer, int textOffset)
            throws IOException {
        String[] texts = new String[l.size()];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = tokenText(tokenizer, l.id(i));
        }
        g.writeObjectFieldStart("logprobs");
        g.writeArrayFieldStart("tokens");
        for (String t : texts) {
            g.writeString(t);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("token_logprobs");
        for (int i = 0; i < texts.length; i++) {
            g.writeNumber(l.logprob(i));
        }
        g.writeEndArray();
        g.writeArrayFieldStart("top_logprobs");
        for (int i = 0; i < texts.length; i++) {
            g.writeStartObject();
            for (TokenLogprob t : l.top(i)) {
                g.writeNumberField(tokenText(tokenizer, t.token()), t.logprob());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("text_offset");
        int offset = textOffset;
        for (String t : texts) {
            g.writeNumber(offset);
            offset += t.length();
        }
        g.writeEndArray();
        g.writeEndObject();
        return offset;
    }

    private static void tokenFields(JsonGenerator g, Tokenizer tokenizer, int id, float logprob) throws IOException {
        String text = tokenText(tokenizer, id);
        g.writeStringField("token", text);
        g.writeNumberField("logprob", logprob);
        g.writeArrayFieldStart("bytes");
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            g.writeNumber(b & 0xff);
        }
        g.writeEndArray();
    }

    /** A token's own text, special tokens included (a token alone may be part of a character: U+FFFD). */
    static String tokenText(Tokenizer tokenizer, int id) {
        return tokenizer.decode(new int[]{id}, false);
    }

    /** {@code GET /v1/models}. */
    public static byte[] models(List<String> names, long created) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("object", "list");
            g.writeArrayFieldStart("data");
            for (String name : names) {
                g.writeStartObject();
                g.writeStringField("id", name);
                g.writeStringField("object", "model");
                g.writeNumberField("created", created);
                g.writeStringField("owned_by", "jynamo");
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }
}
