package io.jynamo.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jynamo infra} starts real etcd and nats-server on free loopback ports, reports them and stops them. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InfraCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Jynamo.execute(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private List<String> settings(int... ports) {
        return List.of("--state-dir", dir.toString(), "--host", "127.0.0.1",
                "--etcd-port", Integer.toString(ports[0]), "--etcd-peer-port", Integer.toString(ports[1]),
                "--nats-port", Integer.toString(ports[2]), "--nats-monitor-port", Integer.toString(ports[3]));
    }

    private static List<String> cmd(String sub, List<String> settings) {
        List<String> all = new ArrayList<>(List.of("infra", sub));
        all.addAll(settings);
        return all;
    }

    @Test
    void upStatusDown() throws IOException {
        List<String> s = settings(freePort(), freePort(), freePort(), freePort());
        try {
            Run up = run(cmd("up", s));
            assertEquals(0, up.code(), up.err());
            assertTrue(up.out().contains("export ETCD_ENDPOINTS=http://127.0.0.1:" + s.get(5)), up.out());
            Run status = run(cmd("status", s));
            assertEquals(0, status.code(), status.out());
            assertTrue(status.out().contains("etcd: running") && status.out().contains("nats: running"), status.out());
            Run again = run(cmd("up", s));
            assertTrue(again.out().contains("already running"), again.out());
        } finally {
            Run down = run(cmd("down", s));
            assertEquals(0, down.code(), down.err());
            assertTrue(down.out().contains("etcd: stopped"), down.out());
        }
        Run after = run(cmd("status", s));
        assertNotEquals(0, after.code());
        assertTrue(after.out().contains("not answering"), after.out());
    }

    @Test
    void aTakenPortIsAClearError() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            List<String> s = settings(taken.getLocalPort(), freePort(), freePort(), freePort());
            Run up = run(cmd("up", s));
            assertEquals(1, up.code());
            assertTrue(up.err().startsWith("jynamo: error: port " + taken.getLocalPort()), up.err());
            run(cmd("down", s));
        }
    }
}
