package io.jynamo.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code jynamo} command in a JVM of its own (this JVM's java and classpath), its output in a log
 * file. Waits poll the log or the process with deadlines; {@link #close} kills it by its PID.
 */
final class JynamoProcess implements AutoCloseable {
    private static final List<String> JVM_FLAGS = List.of("--add-modules", "jdk.incubator.vector",
            "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx384m",
            "-XX:+UseSerialGC");

    private final String name;
    private final Process process;
    private final Path log;

    private JynamoProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static JynamoProcess start(String name, Path dir, Map<String, String> env, List<String> args) {
        return start(name, dir, env, List.of(), args);
    }

    /** As {@link #start(String, Path, Map, List)}, the command run through {@code prefix} (e.g. ip netns exec NS). */
    static JynamoProcess start(String name, Path dir, Map<String, String> env, List<String> prefix, List<String> args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM_FLAGS);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.jynamo.cli.Jynamo");
        cmd.addAll(args);
        Path log = dir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("JYN_") || k.equals("ETCD_ENDPOINTS") || k.equals("NATS_SERVER"));
        pb.environment().put("JYN_CARD_CACHE", dir.resolve(name + "-cards").toString());
        pb.environment().putAll(env);
        try {
            return new JynamoProcess(name, pb.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(unreadable log: " + e + ")";
        }
    }

    /** The first group of {@code pattern} in the log, waiting for it; fails if the process exits first. */
    String await(Pattern pattern, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            Matcher m = pattern.matcher(log());
            if (m.find()) {
                return m.groupCount() > 0 ? m.group(1) : m.group();
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before printing " + pattern
                        + ":\n" + log());
            }
            Thread.sleep(50);
        }
        throw new AssertionError(name + " did not print " + pattern + " within " + timeoutSeconds + " s:\n" + log());
    }

    /** The frontend's HTTP port, from its start-up line. */
    int awaitHttpPort() throws InterruptedException {
        return Integer.parseInt(await(Pattern.compile("at http://[^\\s]+:(\\d+)/v1"), 90));
    }

    /** The worker's instance id (hex), from its start-up line. */
    String awaitInstanceId() throws InterruptedException {
        return await(Pattern.compile("as instance ([0-9a-f]+) of"), 90);
    }

    /** Waits for the process to exit and returns its exit code. */
    int awaitExit(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " still running after " + timeoutSeconds + " s:\n" + log());
        }
        return process.exitValue();
    }

    /** kill -9. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
