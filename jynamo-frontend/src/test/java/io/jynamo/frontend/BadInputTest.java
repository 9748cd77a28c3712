package io.jynamo.frontend;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static io.jynamo.frontend.FrontendHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each kind of bad input gets its status and an OpenAI error body. */
@Timeout(30)
class BadInputTest {
    static final long LIMIT = 64 * 1024;
    static FrontendHarness h;

    @BeforeAll
    static void start() {
        h = new FrontendHarness(0, FrontendConfig.defaults().withHost("127.0.0.1").withEventLoops(2)
                .withMaxBodyBytes(LIMIT));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static JsonNode expect(HttpResponse<String> r, int status, String type) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        JsonNode error = json(r.body()).get("error");
        assertEquals(type, error.get("type").asText(), r.body());
        assertFalse(error.get("message").asText().isBlank());
        assertTrue(error.has("param") && error.has("code"), r.body());
        assertFalse(r.body().contains("Exception") || r.body().contains("\tat "), "leaks internals: " + r.body());
        return error;
    }

    static JsonNode chat400(String body) throws Exception {
        return expect(h.post("/v1/chat/completions", body), 400, "invalid_request_error");
    }

    static JsonNode completion400(String body) throws Exception {
        return expect(h.post("/v1/completions", body), 400, "invalid_request_error");
    }

    @Test
    void malformedJson() throws Exception {
        chat400("{\"model\":\"echo\",\"messages\":[");
        chat400("not json");
        chat400("[1,2]");
        chat400("");
    }

    @Test
    void wrongTypes() throws Exception {
        assertEquals("temperature", chat400("{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"temperature\":\"hot\"}").get("param").asText());
        assertEquals("n", chat400("{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":1.5}")
                .get("param").asText());
        chat400("{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":\"yes\"}");
        chat400("{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":42}]}");
        chat400("{\"model\":\"echo\",\"messages\":{\"role\":\"user\"}}");
        chat400("{\"model\":7,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        completion400("{\"model\":\"echo\",\"prompt\":[\"a\",3]}");
        completion400("{\"model\":\"echo\",\"prompt\":\"a\",\"stop\":[1]}");
    }

    @Test
    void missingOrEmptyMessagesAndPrompt() throws Exception {
        assertEquals("messages", chat400("{\"model\":\"echo\"}").get("param").asText());
        chat400("{\"model\":\"echo\",\"messages\":[]}");
        chat400("{\"model\":\"echo\",\"messages\":[{\"role\":\"user\"}]}");
        assertEquals("prompt", completion400("{\"model\":\"echo\"}").get("param").asText());
        completion400("{\"model\":\"echo\",\"prompt\":\"\"}");
        completion400("{\"model\":\"echo\",\"prompt\":[]}");
        completion400("{\"model\":\"echo\",\"prompt\":[[]]}");
        chat400("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    }

    @Test
    void unknownModelIs404() throws Exception {
        JsonNode e = expect(h.post("/v1/chat/completions",
                "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"), 404, "not_found_error");
        assertEquals("model", e.get("param").asText());
        assertEquals("model_not_found", e.get("code").asText());
        expect(h.post("/v1/completions", "{\"model\":\"nope\",\"prompt\":\"x\"}"), 404, "not_found_error");
    }

    @Test
    void unsupportedRole() throws Exception {
        JsonNode e = chat400("{\"model\":\"echo\",\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}");
        assertTrue(e.get("message").asText().contains("wizard"));
    }

    @Test
    void maxTokensBeyondTheContext() throws Exception {
        JsonNode e = completion400("{\"model\":\"echo\",\"prompt\":\"abc\",\"max_tokens\":" + FrontendHarness.CONTEXT + "}");
        assertEquals("max_tokens", e.get("param").asText());
        assertTrue(e.get("message").asText().contains("context"));
        chat400("{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":0}");
        completion400("{\"model\":\"echo\",\"prompt\":[" + "65,".repeat(FrontendHarness.CONTEXT) + "65]}");
    }

    @Test
    void outOfRangeSamplingAndTokens() throws Exception {
        completion400("{\"model\":\"echo\",\"prompt\":\"a\",\"top_p\":0}");
        completion400("{\"model\":\"echo\",\"prompt\":\"a\",\"n\":0}");
        completion400("{\"model\":\"echo\",\"prompt\":\"a\",\"logprobs\":21}");
        completion400("{\"model\":\"echo\",\"prompt\":[99999]}");
        chat400("{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"top_logprobs\":3}");
        completion400("{\"model\":\"echo\",\"prompt\":\"a\",\"max_tokens\":2,\"min_tokens\":5}");
        completion400("{\"model\":\"echo\",\"prompt\":[" + "\"a\",".repeat(20) + "\"a\"],\"n\":100}");  // 2100 choices
    }

    @Test
    void chatOnAModelWithoutTemplate() throws Exception {
        JsonNode e = chat400("{\"model\":\"echo-plain\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertTrue(e.get("message").asText().contains("chat template"));
    }

    @Test
    void templateThatRaisesIs400() throws Exception {
        chat400("{\"model\":\"echo\",\"messages\":[{\"role\":\"assistant\",\"content\":\"x\"}],"
                + "\"chat_template_kwargs\":{\"strict\":true}}");
    }

    @Test
    void invalidUtf8() throws Exception {
        byte[] head = "{\"model\":\"echo\",\"prompt\":\"ab".getBytes(StandardCharsets.UTF_8);
        byte[] body = Arrays.copyOf(head, head.length + 4);
        body[head.length] = (byte) 0xC3;      // a lead byte followed by a non-continuation byte
        body[head.length + 1] = (byte) 0x28;
        body[head.length + 2] = '"';
        body[head.length + 3] = '}';
        expect(h.post("/v1/completions", body), 400, "invalid_request_error");
        byte[] lone = "{\"model\":\"echo\",\"prompt\":\"a\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
        expect(h.post("/v1/completions", lone), 400, "invalid_request_error");
    }

    @Test
    void bodyOverTheLimitIs413AndTheServerStaysUp() throws Exception {
        String big = "{\"model\":\"echo\",\"prompt\":\"" + "a".repeat((int) LIMIT) + "\"}";
        expect(h.post("/v1/completions", big), 413, "invalid_request_error");
        assertEquals(200, h.get("/live").statusCode());
        String fits = "{\"model\":\"echo\",\"prompt\":\"" + "a".repeat(1000) + "\",\"max_tokens\":1}";
        assertEquals(200, h.post("/v1/completions", fits).statusCode());
    }

    @Test
    void unknownRouteAndWrongMethod() throws Exception {
        expect(h.get("/v1/nothing"), 404, "not_found_error");
        expect(h.get("/v1/chat/completions"), 405, "invalid_request_error");
    }

    @Test
    void knownButUnsupportedFieldsAreRefusedNotIgnored() throws Exception {
        assertEquals("echo", completion400("{\"model\":\"echo\",\"prompt\":\"a\",\"echo\":true}").get("param").asText());
        completion400("{\"model\":\"echo\",\"prompt\":\"a\",\"suffix\":\"z\"}");
        completion400("{\"model\":\"echo\",\"prompt\":\"a\",\"best_of\":3}");
        chat400("{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"logit_bias\":{\"5\":1}}");
        chat400("{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"response_format\":{\"type\":\"json_object\"}}");
        assertEquals(200, h.post("/v1/chat/completions", "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"x\"}],\"response_format\":{\"type\":\"text\"},\"logit_bias\":{},\"echo\":true}")
                .statusCode());
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        assertEquals(200, h.post("/v1/completions",
                "{\"model\":\"echo\",\"prompt\":\"a\",\"frobnicate\":{\"x\":[1]},\"user\":\"u\"}").statusCode());
    }
}
