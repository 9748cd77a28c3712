package io.jynamo.it;

import io.jynamo.runtime.testing.ExternalServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** etcd or NATS unreachable at start: a bounded retry, then one line naming the endpoint and exit 1. */
class StartupErrorsTest {
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void unreachableEtcdOrNatsIsAClearErrorAndExitOne(@TempDir Path dir) throws Exception {
        String deadEtcd = "127.0.0.1:" + ExternalServer.freePort();
        String model = Deployment.model().toString();
        try (JynamoProcess worker = JynamoProcess.start("worker", dir, Map.of("ETCD_ENDPOINTS", deadEtcd),
                List.of("worker", "--model-path", model, "--engine", "echo"));
             JynamoProcess frontend = JynamoProcess.start("frontend", dir, Map.of("ETCD_ENDPOINTS", deadEtcd),
                     List.of("run", "in=http", "out=dyn", "--http-port", "0"))) {
            for (JynamoProcess p : List.of(worker, frontend)) {
                assertEquals(1, p.awaitExit(60), p.log());
                assertTrue(p.log().contains("jynamo: error: cannot reach etcd at http://" + deadEtcd), p.log());
                assertTrue(!p.log().contains("\tat "), "no stack trace: " + p.log());
            }
        }
        String deadNats = "nats://127.0.0.1:" + ExternalServer.freePort();
        try (Deployment d = new Deployment(false);
             JynamoProcess worker = JynamoProcess.start("worker-nats", dir,
                     Map.of("ETCD_ENDPOINTS", d.etcd.endpoint(), "NATS_SERVER", deadNats),
                     List.of("worker", "--model-path", model, "--engine", "echo", "--request-plane", "nats"))) {
            assertEquals(1, worker.awaitExit(60), worker.log());
            assertTrue(worker.log().contains("jynamo: error: cannot reach NATS at " + deadNats), worker.log());
            assertTrue(d.store().getPrefix("v1/").isEmpty(), "nothing registered");
        }
    }
}
