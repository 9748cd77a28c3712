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
    void aClientThatReadsLateStillGetsTheWholeStream() throws Exception {
        // n=32 with logprobs: about 8 MB of SSE, beyond loopback socket buffers and Vert.x's write queue,
        // so the writer must wait for drain and carry on when the client finally reads
        int n = 32;
        int tokens = 2000;
        String body = "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "z".repeat(tokens)
                + "\"}],\"max_tokens\":" + tokens + ",\"n\":" + n + ",\"logprobs\":true,\"top_logprobs\":1,"
                + "\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
        String expected = "user\n" + "z".repeat(tokens - 7);  // BOS, <|im_start|>, "user\n" = 7 tokens
        try (java.net.Socket s = new java.net.Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new java.net.InetSocketAddress("127.0.0.1", h.port));
            byte[] b = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            s.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    + "Content-Length: " + b.length + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.getOutputStream().write(b);
            s.getOutputStream().flush();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (h.engine.metrics().running() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);  // the echo engine never waits for the reader: let it finish first
            }
            String raw = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            String sse = raw.substring(raw.indexOf("\r\n\r\n") + 4);
            StringBuilder[] texts = new StringBuilder[n];
            int[] logprobs = new int[n];
            for (int i = 0; i < n; i++) {
                texts[i] = new StringBuilder();
            }
            List<String> ev = new java.util.ArrayList<>();
            for (String line : sse.split("\n")) {
                if (line.startsWith("data: ")) {
                    ev.add(line.substring(6).trim());
                }
            }
            assertEquals("[DONE]", ev.getLast());
            for (String e : ev.subList(0, ev.size() - 2)) {
                var c = json(e).get("choices").get(0);
                texts[c.get("index").asInt()].append(c.get("delta").path("content").asText(""));
                if (!c.get("logprobs").isNull()) {
                    logprobs[c.get("index").asInt()] += c.get("logprobs").get("content").size();
                }
            }
            for (int i = 0; i < n; i++) {
                assertEquals(expected, texts[i].toString());
                assertEquals(tokens, logprobs[i]);
            }
            assertEquals(n * tokens, json(ev.get(ev.size() - 2)).get("usage").get("completion_tokens").asInt());
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
