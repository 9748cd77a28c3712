package io.jynamo.frontend;

import com.fasterxml.jackson.databind.JsonNode;
import io.jynamo.engine.EchoEngine;
import io.jynamo.llm.ModelCard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.jynamo.frontend.FrontendHarness.events;
import static io.jynamo.frontend.FrontendHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An engine that fails requests in flight (here: it shuts down) gives clients an OpenAI error, not a hang. */
@Timeout(30)
class EngineFailureTest {
    @Test
    void requestsInFlightWhenTheEngineStopsGetAnError() throws Exception {
        EchoEngine engine = new EchoEngine(5_000_000L, 4096, 8, 8);
        ModelCard card = new ModelCard("dying", new ByteTokenizer(), null, "<s>", "</s>", null, 4096, 16);
        try (HttpFrontend f = new HttpFrontend(FrontendConfig.defaults().withHost("127.0.0.1").withPort(0)
                .withEventLoops(1), new InMemoryModelRegistry(List.of(new ServedModel(card, engine))));
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            URI uri = URI.create("http://127.0.0.1:" + f.start() + "/v1/completions");
            String prompt = "y".repeat(1000);
            CompletableFuture<HttpResponse<String>> unary = client.sendAsync(HttpRequest.newBuilder(uri)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"dying\",\"prompt\":\"" + prompt + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            CompletableFuture<HttpResponse<String>> stream = client.sendAsync(HttpRequest.newBuilder(uri)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"dying\",\"prompt\":\"" + prompt
                            + "\",\"stream\":true}")).build(), HttpResponse.BodyHandlers.ofString());
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (engine.metrics().running() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(2, engine.metrics().running());
            engine.close();

            HttpResponse<String> u = unary.get();
            assertEquals(503, u.statusCode(), u.body());
            assertEquals("service_unavailable", json(u.body()).get("error").get("type").asText());

            HttpResponse<String> s = stream.get();
            assertEquals(200, s.statusCode());
            List<String> ev = events(s.body());
            assertEquals("[DONE]", ev.getLast());
            JsonNode error = json(ev.get(ev.size() - 2)).get("error");
            assertEquals("service_unavailable", error.get("type").asText());
            assertTrue(error.get("message").asText().contains("closed"));
        }
    }
}
