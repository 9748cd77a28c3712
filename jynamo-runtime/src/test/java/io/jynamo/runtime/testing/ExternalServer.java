package io.jynamo.runtime.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real server process for tests (etcd, nats-server) on free loopback ports with its data in a temp
 * dir. Started, it is polled for health (never a fixed sleep); stopped by its PID.
 */
public abstract class ExternalServer implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    protected final Path dir;
    private Process process;

    protected ExternalServer(String name) {
        try {
            dir = Files.createTempDirectory("jyn-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command line to start it (ports fixed at construction, so a restart reuses them). */
    protected abstract List<String> command();

    /** A URL that answers 200 once the server is ready. */
    protected abstract URI healthUrl();

    public final synchronized void start() {
        try {
            ProcessBuilder pb = new ProcessBuilder(command()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("server.log").toFile());
            pb.environment().put("ETCDCTL_API", "3");
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(command().getFirst() + " exited: " + log());
            }
            if (healthy()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        stop();
        throw new IllegalStateException(command().getFirst() + " not healthy within 20 s: " + log());
    }

    private boolean healthy() {
        try {
            var r = HTTP.send(HttpRequest.newBuilder(healthUrl()).timeout(Duration.ofMillis(500)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops the process by its PID (SIGTERM, then SIGKILL) and waits for it to exit. */
    public final synchronized void stop() {
        if (process == null) {
            return;
        }
        ProcessHandle handle = ProcessHandle.of(process.pid()).orElse(null);
        if (handle != null) {
            handle.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    handle.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                handle.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        process = null;
    }

    /** Deletes the server's data (for a restart that starts empty). */
    public final void wipeData(Path data) {
        if (!Files.exists(data)) {
            return;
        }
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String log() {
        try {
            String s = Files.readString(dir.resolve("server.log"));
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        stop();
        wipeData(dir);
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String find(String name, String... candidates) {
        for (String c : candidates) {
            if (Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        return name;
    }
}
