package io.jynamo.frontend;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static io.jynamo.frontend.FrontendHarness.events;
import static io.jynamo.frontend.FrontendHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What HTTP clients other than a plain HTTP/1.1 POST do: h2c upgrade, Expect: 100-continue. */
@Timeout(30)
class HttpProtocolTest {
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
    void streamingOverHttp2CleartextUpgrade() throws Exception {
        try (HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
            HttpRequest warm = HttpRequest.newBuilder(h.uri("/live")).build();
            h2.send(warm, HttpResponse.BodyHandlers.ofString());  // upgrades the connection
            HttpResponse<String> r = h2.send(HttpRequest.newBuilder(h.uri("/v1/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"echo\",\"prompt\":\"über h2\",\"stream\":true}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals(HttpClient.Version.HTTP_2, r.version());
            List<String> ev = events(r.body());
            StringBuilder text = new StringBuilder();
            for (String e : ev.subList(0, ev.size() - 1)) {
                text.append(json(e).get("choices").get(0).get("text").asText());
            }
            assertEquals("über h2", text.toString());
            assertEquals("[DONE]", ev.getLast());
        }
    }

    @Test
    void expectContinueIsAnsweredAtOnce() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = h.client.send(HttpRequest.newBuilder(h.uri("/v1/completions")).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"echo\",\"prompt\":\"" + "x".repeat(2000) + "\","
                        + "\"max_tokens\":1}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, json(r.body()).get("usage").get("completion_tokens").asInt());
        // without 100 Continue the client waits for its own timeout before sending the body
        org.junit.jupiter.api.Assertions.assertTrue(System.nanoTime() - start < 900_000_000L);
    }
}
