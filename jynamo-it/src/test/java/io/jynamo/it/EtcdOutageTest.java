package io.jynamo.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * etcd stopped under a running deployment: the frontend keeps serving and says on {@code /health}
 * that discovery is unreachable; the worker's warning names etcd and its address; the workers'
 * engine gauges reach the frontend's {@code /metrics}; no library INFO line (gRPC's TcpMetrics)
 * reaches anyone's terminal; a worker says when it leaves, and the frontend logs instances added and lost.
 */
class EtcdOutageTest {
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void healthReportsEtcdDownWhileServingGoesOn() throws Exception {
        try (Deployment d = new Deployment(false)) {
            try {
                run(d);
            } catch (AssertionError | Exception e) {
                throw new AssertionError(e.getMessage() + "\n" + d.logs(), e);
            }
        }
    }

    private static void run(Deployment d) throws Exception {
        Deployment.Worker w = d.worker("worker", "tcp", "echo", List.of("--echo-delay-ms", "0"));
        Deployment.Worker leaving = d.worker("worker-leaving", "tcp", "echo", List.of("--echo-delay-ms", "0"));
        Deployment.Frontend front = d.frontend("frontend");
        Deployment.await(() -> DistributedServingTest.instances(front.port()) == 2, 60, "the frontend to see the workers");
        front.process().await(java.util.regex.Pattern.compile("instance " + w.idHex() + " added"), 30);

        leaving.process().close();  // SIGTERM: it leaves discovery and says so; the frontend says it lost it
        leaving.process().await(java.util.regex.Pattern.compile("instance " + leaving.idHex() + " .*left discovery"), 1);
        front.process().await(java.util.regex.Pattern.compile("instance " + leaving.idHex() + " lost"), 30);
        Deployment.await(() -> DistributedServingTest.instances(front.port()) == 1, 30, "the frontend to drop the worker");

        String metrics = Http.get(front.port(), "/metrics").body();
        String labels = "{instance=\"" + w.idHex() + "\",model=\"" + Deployment.MODEL + "\"}";
        assertTrue(metrics.contains("jynamo_worker_up" + labels + " 1"), metrics);
        assertTrue(metrics.contains("jynamo_worker_kv_blocks_total" + labels), metrics);

        String endpoint = d.etcd.endpoint();  // http://127.0.0.1:PORT, as the processes name it
        d.etcd.stop();
        Deployment.await(() -> {
            try {
                return Http.get(front.port(), "/health").body().contains("\"unreachable\"");
            } catch (Exception e) {
                return false;
            }
        }, 60, "/health to report discovery unreachable");
        Http.Response health = Http.get(front.port(), "/health");
        assertEquals(200, health.status(), health.body());
        assertEquals("degraded", health.json().path("status").asText(), health.body());
        assertTrue(health.json().path("discovery").path("error").asText().contains("etcd at " + endpoint), health.body());
        Http.Response r = Http.chat(front.port(), Http.referenceBody(Deployment.MODEL, "still there?", 3),
                Duration.ofSeconds(30));
        assertEquals(200, r.status(), r.body());

        w.process().await(java.util.regex.Pattern.compile("lease \\S+ not kept alive: etcd at "
                + java.util.regex.Pattern.quote(endpoint)), 60);
        for (JynamoProcess p : List.of(w.process(), front.process())) {
            String log = p.log();
            assertFalse(log.lines().anyMatch(l -> l.contains("lease") && l.contains("null")),
                    p + " printed a lease warning naming 'null':\n" + log);
            assertFalse(log.contains("TcpMetrics") || log.contains("INFO"), p + " printed library INFO lines:\n" + log);
        }
    }
}
