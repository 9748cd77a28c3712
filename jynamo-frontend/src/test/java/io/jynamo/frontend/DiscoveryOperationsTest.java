package io.jynamo.frontend;

import com.fasterxml.jackson.databind.JsonNode;
import io.jynamo.api.ErrorCategory;
import io.jynamo.engine.EchoEngine;
import io.jynamo.llm.CardFileEndpoint;
import io.jynamo.llm.CardFiles;
import io.jynamo.llm.EngineEndpoint;
import io.jynamo.llm.ModelEntry;
import io.jynamo.llm.ModelRegistration;
import io.jynamo.llm.PublishedCard;
import io.jynamo.router.InstancePicker;
import io.jynamo.router.RouterMode;
import io.jynamo.runtime.DiscoveryStore;
import io.jynamo.runtime.DiscoveryStores;
import io.jynamo.runtime.EndpointId;
import io.jynamo.runtime.Lease;
import io.jynamo.runtime.Registration;
import io.jynamo.runtime.RuntimeFailure;
import io.jynamo.runtime.ServedEndpoint;
import io.jynamo.runtime.Transport;
import io.jynamo.runtime.inproc.InProcessRequestPlane;
import io.jynamo.testkit.TestAssets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static io.jynamo.frontend.FrontendHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What operators and clients see of a frontend on discovery: the workers' engine gauges on
 * {@code /metrics}, discovery trouble on {@code /health}, 503 with a retry hint for a model whose
 * instances just left, bodies accepted whatever their content-type, parser errors without internals.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DiscoveryOperationsTest {
    private static final String NAME = "org/tiny-llama3";
    private final HttpClient client = HttpClient.newHttpClient();

    /** A discovery store whose reads fail while {@link #down} is set, as etcd's do when it is stopped. */
    private static final class FlakyStore implements DiscoveryStore {
        private final DiscoveryStore store;
        volatile boolean down;

        FlakyStore(DiscoveryStore store) {
            this.store = store;
        }

        private void check() {
            if (down) {
                throw new RuntimeFailure(ErrorCategory.UNAVAILABLE, "etcd at 127.0.0.1:2379: cannot get: connection refused");
            }
        }

        @Override public void put(String key, byte[] value) { check(); store.put(key, value); }
        @Override public void put(String key, byte[] value, Lease lease) { check(); store.put(key, value, lease); }
        @Override public Optional<byte[]> get(String key) { check(); return store.get(key); }
        @Override public boolean delete(String key) { check(); return store.delete(key); }
        @Override public List<KeyValue> getPrefix(String prefix) { check(); return store.getPrefix(prefix); }
        @Override public Watch watchPrefix(String prefix, Consumer<WatchEvent> l) { return store.watchPrefix(prefix, l); }
        @Override public Lease createLease(Duration ttl) { return store.createLease(ttl); }
        @Override public void close() { store.close(); }
    }

    /** One worker in this JVM: an echo engine and its card files on the in-process plane, under {@code lease}. */
    private static List<AutoCloseable> worker(DiscoveryStore store, InProcessRequestPlane plane, long id, Lease lease)
            throws Exception {
        Map<String, byte[]> files = CardFiles.ofHuggingFaceDirectory(TestAssets.locate().hfTokenizer("llama3"));
        EndpointId ep = new EndpointId("ns", "backend", "generate");
        ServedEndpoint gen = EngineEndpoint.serve(plane, ep, id, new EchoEngine(0, 4096, 8, 8));
        ServedEndpoint fs = CardFileEndpoint.serve(plane, "ns", id, files);
        PublishedCard card = PublishedCard.of(NAME, "hf", 4096, 16, null, "", "", files);
        Registration.registerInstance(store, lease, gen.instance());
        Registration.registerInstance(store, lease, fs.instance());
        ModelRegistration.putModelCard(store, lease, ModelEntry.slug(NAME), card.toJson());
        ModelRegistration.registerModel(store, lease, new ModelEntry(NAME, ep, "chat", 16, 4096,
                Map.of(DiscoveryModelRegistry.CARD_CHECKSUM, card.checksum())), id);
        return List.of(gen, fs);
    }

    private HttpResponse<String> send(int port, String path, String body, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20));
        if (body == null) {
            b.GET();
        } else {
            b.POST(HttpRequest.BodyPublishers.ofString(body));
            if (contentType != null) {
                b.header("content-type", contentType);
            }
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls {@code path} until {@code ok} holds (within the test's timeout); returns that answer. */
    private HttpResponse<String> awaitGet(int port, String path, Predicate<HttpResponse<String>> ok) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        HttpResponse<String> r;
        do {
            r = send(port, path, null, null);
            if (ok.test(r)) {
                return r;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("GET " + path + " never satisfied the condition; last answer " + r.statusCode()
                + ": " + r.body());
    }

    @Test
    void metricsCarryTheWorkersEngineGaugesAndAModelWhoseInstancesLeftIs503ThenRetryable(@TempDir Path cache)
            throws Exception {
        String completion = "{\"model\":\"" + NAME + "\",\"prompt\":\"Hello\",\"max_tokens\":3}";
        try (FlakyStore store = new FlakyStore(DiscoveryStores.memory(InstantSource.system()));
             InProcessRequestPlane plane = new InProcessRequestPlane();
             DiscoveryModelRegistry registry = new DiscoveryModelRegistry(store, Map.of(Transport.Kind.IN_PROCESS, plane),
                     InstancePicker.of(RouterMode.ROUND_ROBIN, null), cache, Clock.systemUTC()).start();
             HttpFrontend frontend = new HttpFrontend(FrontendConfig.defaults().withHost("127.0.0.1").withPort(0)
                     .withEventLoops(1), registry)) {
            int port = frontend.start();
            Lease lease = store.createLease(Registration.TTL);
            worker(store, plane, 0xa, lease);
            awaitGet(port, "/health", r -> r.statusCode() == 200);

            // curl -d sends application/x-www-form-urlencoded; a JSON body is served all the same
            assertEquals(200, send(port, "/v1/completions", completion, "application/x-www-form-urlencoded").statusCode());
            assertEquals(200, send(port, "/v1/completions", completion, null).statusCode());

            String metrics = send(port, "/metrics", null, null).body();
            String labels = "{instance=\"a\",model=\"" + NAME + "\"}";
            assertTrue(metrics.contains("jynamo_worker_up" + labels + " 1"), metrics);
            for (String gauge : List.of("requests_running", "requests_waiting", "kv_blocks_used", "kv_blocks_total",
                    "prefix_cache_hit_rate")) {
                assertTrue(metrics.contains("jynamo_worker_" + gauge + labels + " 0"), gauge + " missing:\n" + metrics);
            }

            lease.revoke();
            awaitGet(port, "/v1/models", r -> r.body().contains("\"data\":[]"));
            HttpResponse<String> gone = send(port, "/v1/completions", completion, "application/json");
            assertEquals(503, gone.statusCode(), gone.body());
            assertTrue(gone.headers().firstValue("retry-after").isPresent(), gone.headers().toString());
            assertTrue(json(gone.body()).get("error").get("message").asText().contains("retry"), gone.body());
            assertEquals(404, send(port, "/v1/completions", completion.replace(NAME, "never-served"),
                    "application/json").statusCode());
            assertFalse(send(port, "/metrics", null, null).body().contains("jynamo_worker_up{"));
        }
    }

    @Test
    void healthReportsDiscoveryTroubleWhileServingGoesOn(@TempDir Path cache) throws Exception {
        try (FlakyStore store = new FlakyStore(DiscoveryStores.memory(InstantSource.system()));
             InProcessRequestPlane plane = new InProcessRequestPlane();
             DiscoveryModelRegistry registry = new DiscoveryModelRegistry(store, Map.of(Transport.Kind.IN_PROCESS, plane),
                     InstancePicker.of(RouterMode.ROUND_ROBIN, null), cache, Clock.systemUTC()).start();
             HttpFrontend frontend = new HttpFrontend(FrontendConfig.defaults().withHost("127.0.0.1").withPort(0)
                     .withEventLoops(1), registry)) {
            int port = frontend.start();
            worker(store, plane, 0xb, store.createLease(Registration.TTL));
            JsonNode ok = json(awaitGet(port, "/health", r -> r.statusCode() == 200).body());
            assertEquals("ok", ok.get("discovery").get("status").asText());

            store.down = true;
            HttpResponse<String> degraded = awaitGet(port, "/health",
                    r -> r.body().contains("\"unreachable\""));
            assertEquals(200, degraded.statusCode(), "models are still served: " + degraded.body());
            JsonNode h = json(degraded.body());
            assertEquals("degraded", h.get("status").asText());
            assertTrue(h.get("discovery").get("error").asText().contains("etcd at 127.0.0.1:2379"), degraded.body());
            assertEquals(200, send(port, "/v1/completions", "{\"model\":\"" + NAME + "\",\"prompt\":\"Hi\",\"max_tokens\":2}",
                    null).statusCode());

            store.down = false;
            awaitGet(port, "/health", r -> r.body().contains("\"healthy\""));
        }
    }

    @Test
    void bodyErrorsCarryNoParserInternals() throws Exception {
        try (FrontendHarness h = new FrontendHarness()) {
            String longNumber = "{\"model\":\"echo\",\"prompt\":\"hi\",\"max_tokens\":1" + "1".repeat(2000) + "}";
            String deep = "[".repeat(1000) + "]".repeat(1000);
            for (String body : List.of(longNumber, deep, "{\"model\":\"echo\",", "{\"model\":\"echo\"} {}", "{'a':1}")) {
                HttpResponse<String> r = h.post("/v1/completions", body);
                assertEquals(400, r.statusCode(), r.body());
                String message = json(r.body()).get("error").get("message").asText();
                assertTrue(message.startsWith("the body is not valid JSON: "), message);
                for (String internal : List.of("Source:", "REDACTED", "StreamReadConstraints", "`", "Feature")) {
                    assertFalse(message.contains(internal), "'" + internal + "' in: " + message);
                }
            }
        }
    }
}
