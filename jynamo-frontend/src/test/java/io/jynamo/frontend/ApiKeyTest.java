package io.jynamo.frontend;

import com.fasterxml.jackson.databind.JsonNode;
import io.jynamo.engine.EchoEngine;
import io.jynamo.llm.ModelCard;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static io.jynamo.frontend.FrontendHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --api-key}: OpenAI's 401 without the key (or with a wrong one), 200 with it; probes stay open. */
@Timeout(30)
class ApiKeyTest {
    static final String KEY = "sk-test-123";
    static final String CHAT = "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":3}";
    static HttpFrontend frontend;
    static int port;
    static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() {
        ModelCard echo = new ModelCard("echo", new ByteTokenizer(), new ChatMlTemplate(), "<s>", "</s>",
                new int[]{ByteTokenizer.EOS}, 4096, 16);
        frontend = new HttpFrontend(FrontendConfig.defaults().withHost("127.0.0.1").withPort(0).withEventLoops(1),
                new InMemoryModelRegistry(List.of(new ServedModel(echo, new EchoEngine(0, 4096, 4, 4)))), KEY);
        port = frontend.start();
    }

    @AfterAll
    static void stop() {
        frontend.close();
    }

    static HttpResponse<String> send(String path, String body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        b = body == null ? b.GET() : b.header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void assertUnauthorized(HttpResponse<String> r) throws Exception {
        assertEquals(401, r.statusCode(), r.body());
        JsonNode error = json(r.body()).get("error");
        assertEquals("invalid_request_error", error.get("type").asText(), r.body());
        assertEquals("invalid_api_key", error.get("code").asText(), r.body());
        assertTrue(error.get("param").isNull(), r.body());
        assertTrue(error.get("message").asText().contains("API key"), r.body());
    }

    @Test
    void withoutTheKeyEveryApiRouteIs401() throws Exception {
        assertUnauthorized(send("/v1/chat/completions", CHAT, null));
        assertUnauthorized(send("/v1/completions", "{\"model\":\"echo\",\"prompt\":\"hi\"}", null));
        assertUnauthorized(send("/v1/models", null, null));
    }

    @Test
    void aWrongKeyOrSchemeIs401() throws Exception {
        assertUnauthorized(send("/v1/chat/completions", CHAT, "Bearer sk-wrong"));
        assertUnauthorized(send("/v1/chat/completions", CHAT, "Bearer " + KEY + "x"));
        assertUnauthorized(send("/v1/chat/completions", CHAT, "Basic " + KEY));
        assertUnauthorized(send("/v1/models", null, "Bearer "));
    }

    @Test
    void withTheKeyRequestsAreServed() throws Exception {
        HttpResponse<String> r = send("/v1/chat/completions", CHAT, "Bearer " + KEY);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("chat.completion", json(r.body()).get("object").asText());
        assertEquals(200, send("/v1/models", null, "bearer " + KEY).statusCode());
    }

    @Test
    void healthLiveAndMetricsStayOpen() throws Exception {
        assertEquals(200, send("/health", null, null).statusCode());
        assertEquals(200, send("/live", null, null).statusCode());
        assertEquals(200, send("/metrics", null, null).statusCode());
    }

    @Test
    void anEmptyKeyIsRefused() {
        FrontendException e = assertThrows(FrontendException.class, () -> new HttpFrontend(FrontendConfig.defaults(),
                new InMemoryModelRegistry(), " "));
        assertTrue(e.getMessage().contains("API key"), e.getMessage());
    }
}
