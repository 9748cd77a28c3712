package io.jynamo.frontend;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static io.jynamo.frontend.FrontendHarness.events;
import static io.jynamo.frontend.FrontendHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Text completions against the echo engine: the completion is the prompt (BOS left out of the text). */
@Timeout(30)
class CompletionsTest {
    static FrontendHarness h;

    @BeforeAll
    static void start() {
        h = new FrontendHarness();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void stringPromptUnary() throws Exception {
        JsonNode b = json(h.post("/v1/completions", "{\"model\":\"echo-plain\",\"prompt\":\"Grüße, 世界\"}").body());
        assertEquals("text_completion", b.get("object").asText());
        assertTrue(b.get("id").asText().startsWith("cmpl-"));
        JsonNode c = b.get("choices").get(0);
        assertEquals("Grüße, 世界", c.get("text").asText());
        assertEquals("stop", c.get("finish_reason").asText());
        int prompt = 1 + "Grüße, 世界".getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertEquals(prompt, b.get("usage").get("prompt_tokens").asInt());
        assertEquals(prompt, b.get("usage").get("completion_tokens").asInt());
    }

    @Test
    void listOfPromptsGivesChoiceGroupsInOrder() throws Exception {
        JsonNode b = json(h.post("/v1/completions", "{\"model\":\"echo\",\"prompt\":[\"one\",\"two\"],\"n\":2}").body());
        JsonNode choices = b.get("choices");
        assertEquals(4, choices.size());
        String[] expected = {"one", "one", "two", "two"};
        for (int i = 0; i < 4; i++) {
            assertEquals(i, choices.get(i).get("index").asInt());
            assertEquals(expected[i], choices.get(i).get("text").asText());
        }
        assertEquals(8, b.get("usage").get("prompt_tokens").asInt());
    }

    @Test
    void tokenIdPromptsAreUsedAsGiven() throws Exception {
        JsonNode b = json(h.post("/v1/completions", "{\"model\":\"echo\",\"prompt\":[104,105]}").body());
        assertEquals("hi", b.get("choices").get(0).get("text").asText());
        assertEquals(2, b.get("usage").get("prompt_tokens").asInt());
        JsonNode two = json(h.post("/v1/completions", "{\"model\":\"echo\",\"prompt\":[[104],[105,106]]}").body());
        assertEquals("h", two.get("choices").get(0).get("text").asText());
        assertEquals("ij", two.get("choices").get(1).get("text").asText());
    }

    @Test
    void maxTokensEndsWithLength() throws Exception {
        JsonNode b = json(h.post("/v1/completions", "{\"model\":\"echo\",\"prompt\":\"abcdef\",\"max_tokens\":3}").body());
        assertEquals("ab", b.get("choices").get(0).get("text").asText());
        assertEquals("length", b.get("choices").get(0).get("finish_reason").asText());
        assertEquals(3, b.get("usage").get("completion_tokens").asInt());
    }

    @Test
    void streamingWithLogprobsAndUsage() throws Exception {
        String body = "{\"model\":\"echo\",\"prompt\":\"abc\",\"stream\":true,\"logprobs\":1,"
                + "\"stream_options\":{\"include_usage\":true}}";
        List<String> ev = events(h.post("/v1/completions", body).body());
        assertEquals("[DONE]", ev.getLast());
        StringBuilder text = new StringBuilder();
        StringBuilder tokens = new StringBuilder();
        int expectedOffset = 0;
        for (String e : ev.subList(0, ev.size() - 2)) {
            JsonNode c = json(e).get("choices").get(0);
            text.append(c.get("text").asText());
            JsonNode lp = c.get("logprobs");
            if (!lp.isNull()) {
                for (int i = 0; i < lp.get("tokens").size(); i++) {
                    String t = lp.get("tokens").get(i).asText();
                    assertEquals(expectedOffset, lp.get("text_offset").get(i).asInt());
                    assertEquals(0.0, lp.get("token_logprobs").get(i).asDouble());
                    assertTrue(lp.get("top_logprobs").get(i).has(t));
                    expectedOffset += t.length();
                    tokens.append(t);
                }
            }
        }
        assertEquals("abc", text.toString());
        assertEquals("<s>abc", tokens.toString());
        JsonNode usage = json(ev.get(ev.size() - 2)).get("usage");
        assertEquals(4, usage.get("prompt_tokens").asInt());
        assertEquals(4, usage.get("completion_tokens").asInt());
    }

    @Test
    void unaryLogprobsShape() throws Exception {
        JsonNode lp = json(h.post("/v1/completions", "{\"model\":\"echo\",\"prompt\":\"xy\",\"logprobs\":0}").body())
                .get("choices").get(0).get("logprobs");
        assertEquals(List.of("<s>", "x", "y"), List.of(lp.get("tokens").get(0).asText(), lp.get("tokens").get(1).asText(),
                lp.get("tokens").get(2).asText()));
        assertEquals(3, lp.get("token_logprobs").size());
        assertEquals(3, lp.get("top_logprobs").size());
        assertEquals(List.of(0, 3, 4), List.of(lp.get("text_offset").get(0).asInt(), lp.get("text_offset").get(1).asInt(),
                lp.get("text_offset").get(2).asInt()));
    }

    @Test
    void stopStringsInCompletions() throws Exception {
        JsonNode b = json(h.post("/v1/completions",
                "{\"model\":\"echo\",\"prompt\":\"The answer is 42. Next\",\"stop\":[\". N\"],\"stream\":false}").body());
        assertEquals("The answer is 42", b.get("choices").get(0).get("text").asText());
        assertEquals("stop", b.get("choices").get(0).get("finish_reason").asText());
        // tokens up to and including the one that completed the stop string: BOS + "The answer is 42. N"
        assertEquals(1 + "The answer is 42. N".length(), b.get("usage").get("completion_tokens").asInt());
    }
}
