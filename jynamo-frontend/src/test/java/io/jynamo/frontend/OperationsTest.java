package io.jynamo.frontend;

import com.fasterxml.jackson.databind.JsonNode;
import io.jynamo.engine.EchoEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.util.List;

import static io.jynamo.frontend.FrontendHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /v1/models, /health, /live and /metrics. */
@Timeout(30)
class OperationsTest {
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
    void modelsListsServedModels() throws Exception {
        JsonNode b = json(h.get("/v1/models").body());
        assertEquals("list", b.get("object").asText());
        assertEquals("echo", b.get("data").get(0).get("id").asText());
        assertEquals("model", b.get("data").get(0).get("object").asText());
        assertEquals("echo-plain", b.get("data").get(1).get("id").asText());
    }

    @Test
    void healthAndLive() throws Exception {
        HttpResponse<String> health = h.get("/health");
        assertEquals(200, health.statusCode());
        assertEquals("healthy", json(health.body()).get("status").asText());
        assertEquals(200, h.get("/live").statusCode());
    }

    @Test
    void healthIs503WithoutModels() throws Exception {
        try (HttpFrontend empty = new HttpFrontend(FrontendConfig.defaults().withHost("127.0.0.1").withPort(0)
                .withEventLoops(1), new InMemoryModelRegistry())) {
            int port = empty.start();
            var r = h.client.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, r.statusCode());
        }
    }

    @Test
    void metricsCountRequestsLatenciesAndTokens() throws Exception {
        h.post("/v1/completions", "{\"model\":\"echo\",\"prompt\":\"hello\"}");
        h.post("/v1/completions", "{\"model\":\"echo\",\"prompt\":\"hello\",\"stream\":true}");
        h.post("/v1/completions", "{\"model\":\"nope\",\"prompt\":\"hello\"}");
        HttpResponse<String> r = h.get("/metrics");
        assertEquals(200, r.statusCode());
        String m = r.body();
        assertTrue(m.contains("jynamo_frontend_requests_total{endpoint=\"completions\",model=\"echo\","
                + "request_type=\"unary\",status=\"200\"}"), m);
        assertTrue(m.contains("request_type=\"stream\",status=\"200\""), m);
        assertTrue(m.contains("model=\"\",request_type=\"unary\",status=\"404\""), m);
        assertTrue(m.contains("jynamo_frontend_inflight_requests{model=\"echo\"} 0"), m);
        for (String h : List.of("time_to_first_token_seconds", "inter_token_latency_seconds",
                "request_duration_seconds", "input_sequence_tokens", "output_sequence_tokens")) {
            assertTrue(m.contains("jynamo_frontend_" + h + "_count{model=\"echo\"}"), h + " missing:\n" + m);
        }
        assertTrue(m.contains("jynamo_frontend_input_sequence_tokens_sum{model=\"echo\"} 12.0")
                || m.contains("jynamo_frontend_input_sequence_tokens_sum{model=\"echo\"} 12"), m);
    }

    @Test
    void modelsMayComeAndGoWhileServing() throws Exception {
        InMemoryModelRegistry registry = new InMemoryModelRegistry();
        try (EchoEngine engine = new EchoEngine(0, 4096, 4, 4);
             HttpFrontend f = new HttpFrontend(FrontendConfig.defaults().withHost("127.0.0.1").withPort(0)
                     .withEventLoops(1), registry)) {
            var base = "http://127.0.0.1:" + f.start();
            var models = java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/v1/models")).build();
            var completion = java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/v1/completions"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"late\",\"prompt\":\"hi\"}")).build();
            assertEquals(0, json(h.client.send(models, HttpResponse.BodyHandlers.ofString()).body()).get("data").size());
            assertEquals(404, h.client.send(completion, HttpResponse.BodyHandlers.ofString()).statusCode());

            registry.add(new ServedModel(new io.jynamo.llm.ModelCard("late", new ByteTokenizer(), null, "<s>", "</s>",
                    null, 4096, 16), engine));
            assertEquals("late", json(h.client.send(models, HttpResponse.BodyHandlers.ofString()).body())
                    .get("data").get(0).get("id").asText());
            var ok = h.client.send(completion, HttpResponse.BodyHandlers.ofString());
            assertEquals("hi", json(ok.body()).get("choices").get(0).get("text").asText());

            registry.remove("late");
            assertEquals(404, h.client.send(completion, HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    @Test
    void aPortInUseIsAClearError() {
        try (HttpFrontend second = new HttpFrontend(FrontendConfig.defaults().withHost("127.0.0.1").withPort(h.port)
                .withEventLoops(1), new InMemoryModelRegistry())) {
            FrontendException e = org.junit.jupiter.api.Assertions.assertThrows(FrontendException.class, second::start);
            assertEquals(io.jynamo.api.ErrorCategory.UNAVAILABLE, e.category());
            assertTrue(e.getMessage().contains(Integer.toString(h.port)), e.getMessage());
        }
    }

    @Test
    void configDefaultsAndInvalidConfig() {
        assertEquals(32L * 1024 * 1024, FrontendConfig.defaults().maxBodyBytes());
        assertEquals(8000, FrontendConfig.defaults().port());
        org.junit.jupiter.api.Assertions.assertThrows(FrontendException.class,
                () -> FrontendConfig.defaults().withPort(70000));
        org.junit.jupiter.api.Assertions.assertThrows(FrontendException.class,
                () -> FrontendConfig.defaults().withMaxBodyBytes(10));
    }

    @Test
    void overloadedEngineIs503() throws Exception {
        try (EchoEngine slow = new EchoEngine(50_000_000L, 4096, 1, 0)) {
            ByteTokenizer t = new ByteTokenizer();
            var card = new io.jynamo.llm.ModelCard("slow", t, null, "<s>", "</s>", null, 4096, 16);
            try (HttpFrontend f = new HttpFrontend(FrontendConfig.defaults().withHost("127.0.0.1").withPort(0)
                    .withEventLoops(1), new InMemoryModelRegistry(List.of(new ServedModel(card, slow))))) {
                int port = f.start();
                var uri = java.net.URI.create("http://127.0.0.1:" + port + "/v1/completions");
                String body = "{\"model\":\"slow\",\"prompt\":\"abcdefghij\"}";
                var first = h.client.sendAsync(java.net.http.HttpRequest.newBuilder(uri)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (slow.metrics().running() == 0 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                var second = h.client.send(java.net.http.HttpRequest.newBuilder(uri)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(503, second.statusCode(), second.body());
                assertEquals("service_unavailable", json(second.body()).get("error").get("type").asText());
                assertEquals(200, first.get().statusCode());
            }
        }
    }
}
