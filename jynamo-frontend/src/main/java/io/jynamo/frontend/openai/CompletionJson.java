package io.jynamo.frontend.openai;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.util.List;

/** Bodies and stream chunks of chat and text completions, in OpenAI's shapes. */
public final class CompletionJson {
    private CompletionJson() {
    }

    /**
     * One stream chunk for one choice.
     *
     * @param role     write {@code "role": "assistant"} in the delta (a chat choice's first chunk)
     * @param text     new text ("" for none)
     * @param logprobs this chunk's tokens' logprobs, or null
     * @param finish   the finish reason, or null while the choice goes on
     */
    public static byte[] chunk(ResponseMeta m, Choice c, boolean role, String text, LogprobList logprobs,
                               String finish) {
        return ResponseJson.write(g -> {
            head(g, m, m.chat() ? "chat.completion.chunk" : "text_completion");
            g.writeArrayFieldStart("choices");
            g.writeStartObject();
            g.writeNumberField("index", c.index);
            if (m.chat()) {
                g.writeObjectFieldStart("delta");
                if (role) {
                    g.writeStringField("role", "assistant");
                }
                if (role || !text.isEmpty()) {
                    g.writeStringField("content", text);
                }
                g.writeEndObject();
            } else {
                g.writeStringField("text", text);
            }
            logprobs(g, m, c, logprobs);
            g.writeStringField("finish_reason", finish);
            g.writeEndObject();
            g.writeEndArray();
            if (m.includeUsage()) {
                g.writeNullField("usage");
            }
            g.writeEndObject();
        });
    }

    /** The last chunk when include_usage is on: no choices, the usage of the whole request. */
    public static byte[] usageChunk(ResponseMeta m, Usage u) {
        return ResponseJson.write(g -> {
            head(g, m, m.chat() ? "chat.completion.chunk" : "text_completion");
            g.writeArrayFieldStart("choices");
            g.writeEndArray();
            ResponseJson.usage(g, u);
            g.writeEndObject();
        });
    }

    /** A whole (non-streamed) response. */
    public static byte[] body(ResponseMeta m, List<Choice> choices, Usage u) {
        return ResponseJson.write(g -> {
            head(g, m, m.chat() ? "chat.completion" : "text_completion");
            g.writeArrayFieldStart("choices");
            for (Choice c : choices) {
                g.writeStartObject();
                g.writeNumberField("index", c.index);
                if (m.chat()) {
                    g.writeObjectFieldStart("message");
                    g.writeStringField("role", "assistant");
                    g.writeStringField("content", c.content.toString());
                    g.writeEndObject();
                } else {
                    g.writeStringField("text", c.content.toString());
                }
                logprobs(g, m, c, c.logprobs);
                g.writeStringField("finish_reason", c.finishReason);
                g.writeEndObject();
            }
            g.writeEndArray();
            ResponseJson.usage(g, u);
            g.writeEndObject();
        });
    }

    private static void head(JsonGenerator g, ResponseMeta m, String object) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", m.id());
        g.writeStringField("object", object);
        g.writeNumberField("created", m.created());
        g.writeStringField("model", m.model());
    }

    private static void logprobs(JsonGenerator g, ResponseMeta m, Choice c, LogprobList l) throws IOException {
        if (!m.logprobs() || l == null) {
            g.writeNullField("logprobs");
        } else if (m.chat()) {
            ResponseJson.chatLogprobs(g, l, m.tokenizer());
        } else {
            c.textOffset = ResponseJson.completionLogprobs(g, l, m.tokenizer(), c.textOffset);
        }
    }
}
