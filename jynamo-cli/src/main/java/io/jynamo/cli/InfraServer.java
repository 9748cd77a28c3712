package io.jynamo.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One infrastructure server that {@code jynamo infra} runs in the background: how to start it, where
 * its pid, data and log live, and how to tell it is healthy. The process outlives the command (it
 * runs in its own session, stdin from /dev/null); {@code down} stops it by pid.
 */
record InfraServer(String name, String binary, List<String> args, Path stateDir, URI healthUrl, String healthyBody) {
    static final List<Path> BINARY_DIRS = List.of(Path.of("/usr/bin"), Path.of("/usr/sbin"), Path.of("/usr/local/bin"),
            Path.of("/usr/local/sbin"));

    Path pidFile() {
        return stateDir.resolve(name + ".pid");
    }

    Path logFile() {
        return stateDir.resolve(name + ".log");
    }

    Path dataDir() {
        return stateDir.resolve(name + "-data");
    }

    /** The binary on PATH or in the usual system directories (nats-server lives in /usr/sbin on Debian). */
    static Optional<Path> find(String binary) {
        List<Path> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(":")) {
                if (!d.isEmpty()) {
                    dirs.add(Path.of(d));
                }
            }
        }
        dirs.addAll(BINARY_DIRS);
        return dirs.stream().map(d -> d.resolve(binary)).filter(Files::isExecutable).findFirst();
    }

    /** The pid of the running server, if its pid file names a live process. */
    Optional<ProcessHandle> running() {
        try {
            if (!Files.exists(pidFile())) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile()).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    boolean healthy() {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(healthUrl).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return r.statusCode() == 200 && r.body().contains(healthyBody);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts the server detached from this process and waits until it is healthy. */
    ProcessHandle start(Path executable, Duration timeout) throws IOException, InterruptedException {
        Files.createDirectories(dataDir());
        List<String> cmd = new ArrayList<>();
        Optional<Path> setsid = find("setsid");
        setsid.ifPresent(p -> cmd.add(p.toString()));
        cmd.add(executable.toString());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                .redirectErrorStream(true)
                .start();
        Files.writeString(pidFile(), Long.toString(p.pid()));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw CliException.unavailable(name + " exited at start (code " + p.exitValue() + "); last log lines:\n"
                        + tail(4));
            }
            if (healthy()) {
                return p.toHandle();
            }
            p.waitFor(100, TimeUnit.MILLISECONDS);
        }
        p.destroyForcibly();
        throw CliException.unavailable(name + " did not become healthy at " + healthUrl + " within "
                + timeout.toSeconds() + " s; log: " + logFile());
    }

    /** Stops the server: TERM, then KILL after the grace period. True if one was running. */
    boolean stop(Duration grace) throws IOException {
        Optional<ProcessHandle> h = running();
        if (h.isPresent()) {
            h.get().destroy();
            try {
                h.get().onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                h.get().destroyForcibly();
            }
        }
        Files.deleteIfExists(pidFile());
        return h.isPresent();
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
