package io.jynamo.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.jynamo.api.engine.EngineMetrics;
import io.jynamo.runtime.DiscoveryStore;
import io.jynamo.runtime.Instance;
import io.jynamo.llm.RemoteEngine;
import io.jynamo.runtime.RequestPlane;
import io.jynamo.runtime.NatsConfig;
import io.jynamo.runtime.nats.NatsRequestPlane;
import io.jynamo.runtime.TcpConfig;
import io.jynamo.runtime.tcp.TcpRequestPlane;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A frontend and workers as separate processes against real etcd (and NATS): the same test over the
 * TCP and the NATS request plane.
 */
class DistributedServingTest {
    private static final String LONG_PROMPT = "Tell me everything about the history of the river, the mountains, "
            + "the towns along the valley, the people who lived there and the songs they sang every evening";

    @ParameterizedTest(name = "request plane {0}")
    @ValueSource(strings = {"tcp", "nats"})
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void workersServeSpreadFailOverAndJoinLate(String plane) throws Exception {
        try (Deployment d = new Deployment(plane.equals("nats"))) {
            try {
                run(d, plane);
            } catch (AssertionError | Exception e) {
                throw new AssertionError(e.getMessage() + "\n" + d.logs(), e);
            }
        }
    }

    private static void run(Deployment d, String plane) throws Exception {
        DiscoveryStore store = d.store();
        // malformed records from some other tool: skipped with a warning, never fatal
        store.put("v1/models/junk/1", "{not json".getBytes(StandardCharsets.UTF_8));
        store.put("v1/instances/dynamo/backend/generate/zz", "[]".getBytes(StandardCharsets.UTF_8));
        store.put("v1/mdc/junk", "{\"served_name\":\"junk\"}".getBytes(StandardCharsets.UTF_8));

        Deployment.Frontend front = d.frontend("frontend");
        Deployment.Worker a = d.worker("worker-a", plane, "echo", List.of());
        Deployment.Worker b = d.worker("worker-b", plane, "jynamo", List.of());
        Deployment.await(() -> instances(front.port()) == 2, 60, "the frontend to see both workers");

        JsonNode models = Http.get(front.port(), "/v1/models").json();
        assertEquals(1, models.path("data").size(), models.toString());
        assertEquals(Deployment.MODEL, models.path("data").get(0).path("id").asText());
        // the frontend has no model files: it built the card from the files the workers serve
        try (var files = Files.list(front.cardCache())) {
            Path cardDir = files.findFirst().orElseThrow();
            assertTrue(Files.exists(cardDir.resolve("gguf-vocab.bin.gz")), "card files fetched into " + cardDir);
        }

        // the reference curl body
        Http.Response ref = Http.chat(front.port(), Http.referenceBody(Deployment.MODEL, "What is the capital of France?", 30),
                Duration.ofSeconds(60));
        assertEquals(200, ref.status(), ref.body());
        assertEquals("assistant", ref.json().path("choices").get(0).path("message").path("role").asText());

        // round-robin spreads requests over both workers
        for (int i = 0; i < 6; i++) {
            Http.Response r = Http.chat(front.port(), Http.referenceBody(Deployment.MODEL, "Hi number " + i, 3),
                    Duration.ofSeconds(60));
            assertEquals(200, r.status(), r.body());
        }
        try (RequestPlane client = client(d, plane)) {
            Instance ia = instance(store, a.idHex());
            Instance ib = instance(store, b.idHex());
            assertTrue(metrics(client, ia).tokensGenerated() >= 3, "worker a served requests");
            assertTrue(metrics(client, ib).tokensGenerated() >= 3, "worker b served requests");

            // two slow requests: one on each worker (round-robin); then kill -9 the echo worker mid-stream
            String slow = Http.referenceBody(Deployment.MODEL, LONG_PROMPT, 30);
            List<CompletableFuture<Http.Response>> inFlight = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                inFlight.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return Http.chat(front.port(), slow, Duration.ofSeconds(60));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            Deployment.await(() -> metrics(client, ia).running() >= 1, 30, "worker a to run a request");
            long killed = System.nanoTime();
            a.process().kill();
            List<Integer> statuses = new ArrayList<>();
            for (CompletableFuture<Http.Response> f : inFlight) {
                statuses.add(f.get(40, TimeUnit.SECONDS).status());  // never hangs
            }
            assertTrue(statuses.contains(200), "the request on the live worker succeeded: " + statuses);
            assertTrue(statuses.stream().anyMatch(s -> s != 200), "the request on the killed worker failed: " + statuses);

            // requests keep succeeding while the dead worker's lease runs out
            while (!d.keysOf(a.idHex()).isEmpty()) {
                assertTrue(System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(15),
                        "the killed worker's keys left discovery within 15 s: " + d.keysOf(a.idHex()));
                Http.Response r = Http.chat(front.port(), Http.referenceBody(Deployment.MODEL, "still there?", 2),
                        Duration.ofSeconds(30));
                assertEquals(200, r.status(), r.body());
            }
            Deployment.await(() -> instances(front.port()) == 1, 15, "the frontend to drop the dead worker");
            assertEquals(200, Http.chat(front.port(), Http.referenceBody(Deployment.MODEL, "after", 2),
                    Duration.ofSeconds(30)).status());
        }

        // a worker started after the frontend is picked up without restarting anything
        Deployment.Worker c = d.worker("worker-c", plane, "echo", List.of());
        Deployment.await(() -> instances(front.port()) == 2, 30, "the frontend to pick up the late worker");
        assertNotEquals(a.idHex(), c.idHex());

        // a worker with another card under the same name is refused, naming both
        JynamoProcess other = d.start("worker-other", d.env(), List.of("worker", "--model-path",
                Deployment.model().toString(), "--served-model-name", Deployment.MODEL, "--request-plane", plane,
                "--engine", "echo", "--context-length", "256"));
        assertEquals(1, other.awaitExit(60));
        assertTrue(other.log().contains("jynamo: error: the model '" + Deployment.MODEL
                + "' is already served with another model card"), other.log());

        // SIGTERM: the worker revokes its lease and leaves discovery at once
        c.process().close();
        assertTrue(d.keysOf(c.idHex()).isEmpty(), "a stopped worker's keys are gone: " + d.keysOf(c.idHex()));
        assertTrue(front.process().isAlive(), "the frontend survived everything");
    }

    static int instances(int port) {
        try {
            Http.Response h = Http.get(port, "/health");
            return h.json().path("instances").size();
        } catch (Exception e) {
            return -1;
        }
    }

    private static RequestPlane client(Deployment d, String plane) {
        return plane.equals("nats") ? new NatsRequestPlane(NatsConfig.of(d.nats.url())) : new TcpRequestPlane(TcpConfig.loopback());
    }

    private static Instance instance(DiscoveryStore store, String idHex) {
        return io.jynamo.runtime.Registration.parseInstance(store.get("v1/instances/dynamo/backend/generate/" + idHex)
                .orElseThrow(() -> new AssertionError("no instance " + idHex)));
    }

    private static EngineMetrics metrics(RequestPlane client, Instance i) {
        return new RemoteEngine(client, i).metrics();
    }
}
