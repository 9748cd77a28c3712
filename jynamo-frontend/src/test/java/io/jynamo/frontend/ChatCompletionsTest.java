package io.jynamo.frontend;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static io.jynamo.frontend.FrontendHarness.events;
import static io.jynamo.frontend.FrontendHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chat completions against the echo engine: the answer is the rendered prompt, special tokens left out. */
@Timeout(30)
class ChatCompletionsTest {
    static final String ECHOED = "user\nHello, wörld!\nassistant\n";
    static FrontendHarness h;

    @BeforeAll
    static void start() {
        h = new FrontendHarness();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static String chat(String extra) {
        return "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello, wörld!\"}]" + extra + "}";
    }

    @Test
    void unaryAnswerHasOpenAiShapeAndUsage() throws Exception {
        HttpResponse<String> r = h.post("/v1/chat/completions", chat(""));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode b = json(r.body());
        assertEquals("chat.completion", b.get("object").asText());
        assertEquals("echo", b.get("model").asText());
        assertTrue(b.get("id").asText().startsWith("chatcmpl-"));
        JsonNode c = b.get("choices").get(0);
        assertEquals("assistant", c.get("message").get("role").asText());
        assertEquals(ECHOED, c.get("message").get("content").asText());
        assertEquals("stop", c.get("finish_reason").asText());
        assertTrue(c.get("logprobs").isNull());
        // prompt: BOS + 3 specials + bytes; the echo engine generates exactly the prompt
        int promptTokens = b.get("usage").get("prompt_tokens").asInt();
        assertEquals(new ByteTokenizer().encode("<s><|im_start|>user\nHello, wörld!<|im_end|>\n<|im_start|>assistant\n",
                false).length, promptTokens);
        assertEquals(promptTokens, b.get("usage").get("completion_tokens").asInt());
        assertEquals(2 * promptTokens, b.get("usage").get("total_tokens").asInt());
    }

    @Test
    void streamedDeltasAddUpToTheUnaryAnswer() throws Exception {
        HttpResponse<String> r = h.post("/v1/chat/completions",
                chat(",\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        List<String> ev = events(r.body());
        assertEquals("[DONE]", ev.getLast());
        JsonNode first = json(ev.getFirst());
        assertEquals("chat.completion.chunk", first.get("object").asText());
        assertEquals("assistant", first.get("choices").get(0).get("delta").get("role").asText());
        assertTrue(first.has("usage") && first.get("usage").isNull(), "include_usage: chunks carry usage null");
        StringBuilder text = new StringBuilder();
        String finish = null;
        for (String e : ev.subList(0, ev.size() - 2)) {
            JsonNode c = json(e).get("choices").get(0);
            text.append(c.get("delta").path("content").asText(""));
            if (!c.get("finish_reason").isNull()) {
                finish = c.get("finish_reason").asText();
            }
        }
        assertEquals(ECHOED, text.toString());
        assertEquals("stop", finish);
        JsonNode usage = json(ev.get(ev.size() - 2));
        assertEquals(0, usage.get("choices").size());
        assertTrue(usage.get("usage").get("completion_tokens").asInt() > 0);
    }

    @Test
    void withoutIncludeUsageNoUsageChunk() throws Exception {
        List<String> ev = events(h.post("/v1/chat/completions", chat(",\"stream\":true")).body());
        for (String e : ev.subList(0, ev.size() - 1)) {
            JsonNode j = json(e);
            assertFalse(j.has("usage"));
            assertEquals(1, j.get("choices").size());
        }
    }

    @Test
    void twoChoicesEachGetTheWholeAnswer() throws Exception {
        JsonNode b = json(h.post("/v1/chat/completions", chat(",\"n\":2")).body());
        assertEquals(2, b.get("choices").size());
        for (int i = 0; i < 2; i++) {
            assertEquals(i, b.get("choices").get(i).get("index").asInt());
            assertEquals(ECHOED, b.get("choices").get(i).get("message").get("content").asText());
        }
        assertEquals(2 * b.get("usage").get("prompt_tokens").asInt(), b.get("usage").get("completion_tokens").asInt());

        List<String> ev = events(h.post("/v1/chat/completions", chat(",\"n\":2,\"stream\":true")).body());
        StringBuilder[] texts = {new StringBuilder(), new StringBuilder()};
        for (String e : ev.subList(0, ev.size() - 1)) {
            JsonNode c = json(e).get("choices").get(0);
            texts[c.get("index").asInt()].append(c.get("delta").path("content").asText(""));
        }
        assertEquals(ECHOED, texts[0].toString());
        assertEquals(ECHOED, texts[1].toString());
    }

    @Test
    void logprobsInChatShape() throws Exception {
        JsonNode b = json(h.post("/v1/chat/completions", chat(",\"logprobs\":true,\"top_logprobs\":2,\"max_tokens\":6"))
                .body());
        JsonNode c = b.get("choices").get(0);
        assertEquals("length", c.get("finish_reason").asText());
        JsonNode content = c.get("logprobs").get("content");
        assertEquals(6, content.size());
        JsonNode second = content.get(1);  // the token after BOS: <|im_start|>
        assertEquals("<|im_start|>", second.get("token").asText());
        assertEquals(0.0, second.get("logprob").asDouble());
        assertTrue(second.get("bytes").isArray());
        assertEquals("<|im_start|>".length(), second.get("bytes").size());
        assertEquals("<|im_start|>", second.get("top_logprobs").get(0).get("token").asText());
        JsonNode third = content.get(2);
        assertEquals("u", third.get("token").asText());
        assertEquals((int) 'u', third.get("bytes").get(0).asInt());
    }

    @Test
    void stopStringAcrossTokensIsCutFromTheAnswer() throws Exception {
        JsonNode b = json(h.post("/v1/chat/completions", chat(",\"stop\":[\"wörld\",\"zzz\"]")).body());
        JsonNode c = b.get("choices").get(0);
        assertEquals("user\nHello, ", c.get("message").get("content").asText());
        assertEquals("stop", c.get("finish_reason").asText());
        List<String> ev = events(h.post("/v1/chat/completions", chat(",\"stop\":\"wörld\",\"stream\":true")).body());
        StringBuilder text = new StringBuilder();
        for (String e : ev.subList(0, ev.size() - 1)) {
            text.append(json(e).get("choices").get(0).get("delta").path("content").asText(""));
        }
        assertEquals("user\nHello, ", text.toString());
    }

    @Test
    void requestIdIsEchoedOrMade() throws Exception {
        HttpResponse<String> r = h.client.send(HttpRequest.newBuilder(h.uri("/v1/chat/completions"))
                .header("x-request-id", "my-id-123").POST(HttpRequest.BodyPublishers.ofString(chat(""))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("my-id-123", r.headers().firstValue("x-request-id").orElseThrow());
        assertEquals("chatcmpl-my-id-123", json(r.body()).get("id").asText());
        HttpResponse<String> made = h.post("/v1/chat/completions", chat(""));
        assertFalse(made.headers().firstValue("x-request-id").orElseThrow().isBlank());
        // the same client id twice at once must not collide in the engine
        HttpResponse<String> again = h.client.send(HttpRequest.newBuilder(h.uri("/v1/chat/completions"))
                .header("x-request-id", "my-id-123").POST(HttpRequest.BodyPublishers.ofString(chat(""))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, again.statusCode());
    }

    @Test
    void contentPartsAndSystemRolesAreAccepted() throws Exception {
        String body = "{\"model\":\"echo\",\"messages\":[{\"role\":\"developer\",\"content\":\"be brief\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]}]}";
        JsonNode b = json(h.post("/v1/chat/completions", body).body());
        assertEquals("developer\nbe brief\nuser\na\nb\nassistant\n",
                b.get("choices").get(0).get("message").get("content").asText());
    }
}
