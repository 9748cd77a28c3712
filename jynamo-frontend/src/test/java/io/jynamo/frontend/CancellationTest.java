package io.jynamo.frontend;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client that goes away mid-request frees its engine sequences. */
@Timeout(30)
class CancellationTest {
    static FrontendHarness h;

    @BeforeAll
    static void start() {
        h = new FrontendHarness(5_000_000L, FrontendConfig.defaults().withHost("127.0.0.1").withEventLoops(2));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    /** Sends a raw HTTP/1.1 request, reads until {@code marker} appears, then drops the connection. */
    private void dropAfter(String path, String body, String marker) throws Exception {
        try (Socket s = new Socket("127.0.0.1", h.port)) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = s.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + b.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.flush();
            if (marker != null) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                String line;
                boolean seen = false;
                while (!seen && (line = in.readLine()) != null) {
                    seen = line.contains(marker);
                }
                assertTrue(seen, "the stream ended before " + marker);
            }
            awaitRunning();
        }
    }

    private void awaitRunning() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (h.engine.metrics().running() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertTrue(h.engine.metrics().running() > 0, "the request never started");
    }

    private void awaitIdle() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while ((h.engine.metrics().running() > 0 || h.engine.metrics().waiting() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertEquals(0, h.engine.metrics().running(), "engine sequences still running after the client left");
        assertEquals(0, h.engine.metrics().waiting());
    }

    // 2000 tokens at 5 ms each would take 10 s: the engine must be freed long before.
    private static final String LONG = "x".repeat(2000);

    @Test
    void streamingClientThatDisconnectsCancelsItsRequest() throws Exception {
        long start = System.nanoTime();
        dropAfter("/v1/completions", "{\"model\":\"echo\",\"prompt\":\"" + LONG + "\",\"max_tokens\":2000,\"stream\":true,\"n\":2}",
                "\"text\"");
        awaitIdle();
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "cancelled only when the echo ran out");
    }

    @Test
    void http2StreamResetCancelsItsRequest() throws Exception {
        try (java.net.http.HttpClient h2 = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_2).build()) {
            h2.send(java.net.http.HttpRequest.newBuilder(h.uri("/live")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());  // upgrade to h2c first
            long start = System.nanoTime();
            var r = h2.send(java.net.http.HttpRequest.newBuilder(h.uri("/v1/completions"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"echo\",\"prompt\":\"" + LONG
                            + "\",\"max_tokens\":2000,\"stream\":true}")).build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(java.net.http.HttpClient.Version.HTTP_2, r.version());
            try (var in = r.body()) {
                in.readNBytes(200);
                awaitRunning();
            }  // closing the body mid-stream resets the HTTP/2 stream; the connection stays open
            awaitIdle();
            assertTrue(System.nanoTime() - start < 5_000_000_000L, "cancelled only when the echo ran out");
        }
    }

    @Test
    void unaryClientThatDisconnectsCancelsItsRequest() throws Exception {
        long start = System.nanoTime();
        dropAfter("/v1/chat/completions", "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + LONG + "\"}],\"max_tokens\":2000}", null);
        awaitIdle();
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "cancelled only when the echo ran out");
        assertEquals(200, h.get("/health").statusCode());
    }

    @Test
    void stopStringCancelsTheEngineRequest() throws Exception {
        long start = System.nanoTime();
        var r = h.post("/v1/completions", "{\"model\":\"echo\",\"prompt\":\"ab" + LONG + "\",\"max_tokens\":2000,\"stop\":\"bx\"}");
        assertEquals("a", FrontendHarness.json(r.body()).get("choices").get(0).get("text").asText());
        awaitIdle();
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "the engine ran on after the stop string");
    }
}
