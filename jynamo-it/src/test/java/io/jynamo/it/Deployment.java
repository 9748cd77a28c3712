package io.jynamo.it;

import io.jynamo.engine.GgmlType;
import io.jynamo.testkit.ModelFamily;
import io.jynamo.testkit.TestAssets;
import io.jynamo.testkit.TestModelGenerator;
import io.jynamo.testkit.TestModelSpec;
import io.jynamo.runtime.DiscoveryStore;
import io.jynamo.runtime.DiscoveryStores;
import io.jynamo.runtime.EtcdConfig;
import io.jynamo.runtime.testing.EtcdServer;
import io.jynamo.runtime.testing.NatsServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * etcd (and NATS when asked) on free loopback ports, a tiny generated model, and the jynamo processes
 * started against them; closing kills the processes and stops the servers.
 */
final class Deployment implements AutoCloseable {
    static final String MODEL = "deepseek-ai/DeepSeek-R1-tiny";
    private static Path model;

    final Path dir;
    final EtcdServer etcd;
    final NatsServer nats;
    private final List<JynamoProcess> processes = new ArrayList<>();
    private DiscoveryStore store;

    Deployment(boolean withNats) {
        try {
            dir = Files.createTempDirectory("jyn-it-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        etcd = EtcdServer.started();
        nats = withNats ? NatsServer.started() : null;
    }

    /** The tiny llama3-family GGUF (real Llama 3 tokenizer and chat template), written once per JVM. */
    static synchronized Path model() throws IOException {
        if (model == null) {
            Path d = Files.createTempDirectory("jyn-it-model-");
            d.toFile().deleteOnExit();
            d.resolve("tiny-llama3.gguf").toFile().deleteOnExit();  // deleted before its directory
            model = new TestModelGenerator(TestAssets.locate()).writeGguf(TestModelSpec.tiny(ModelFamily.LLAMA3, 7),
                    GgmlType.Q8_0, d.resolve("tiny-llama3.gguf"));
        }
        return model;
    }

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("ETCD_ENDPOINTS", etcd.endpoint().replace("http://", ""));
        if (nats != null) {
            env.put("NATS_SERVER", nats.url());
        }
        return env;
    }

    JynamoProcess start(String name, Map<String, String> env, List<String> args) {
        JynamoProcess p = JynamoProcess.start(name, dir, env, args);
        processes.add(p);
        return p;
    }

    /** {@code jynamo run in=http out=dyn --http-port 0}; returns once it listens. */
    Frontend frontend(String name) throws InterruptedException {
        JynamoProcess p = start(name, env(), List.of("run", "in=http", "out=dyn", "--http-host", "127.0.0.1",
                "--http-port", "0", "--router-mode", "round-robin"));
        return new Frontend(p, p.awaitHttpPort(), dir.resolve(name + "-cards"));
    }

    record Frontend(JynamoProcess process, int port, Path cardCache) {
    }

    /** {@code jynamo worker} serving the tiny model; returns once it registered. */
    Worker worker(String name, String plane, String engine, List<String> extra) throws InterruptedException, IOException {
        List<String> args = new ArrayList<>(List.of("worker", "--model-path", model().toString(),
                "--served-model-name", MODEL, "--request-plane", plane, "--engine", engine,
                "--threads", "1", "--max-num-seqs", "4", "--kv-cache-blocks", "64", "--warmup-ms", "0",
                "--trust-remote-code", "--skip-tokenizer-init", "--mem-fraction-static", "0.5"));
        if (!extra.contains("--echo-delay-ms")) {
            args.addAll(List.of("--echo-delay-ms", "100"));
        }
        args.addAll(extra);
        JynamoProcess p = start(name, env(), args);
        return new Worker(p, p.awaitInstanceId());
    }

    record Worker(JynamoProcess process, String idHex) {
    }

    synchronized DiscoveryStore store() {
        if (store == null) {
            store = DiscoveryStores.etcd(EtcdConfig.of(etcd.endpoint()));
        }
        return store;
    }

    /** The keys registered for an instance id (under v1/instances and v1/models). */
    List<String> keysOf(String idHex) {
        return store().getPrefix("v1/").stream().map(DiscoveryStore.KeyValue::key)
                .filter(k -> k.endsWith("/" + idHex)).toList();
    }

    static void await(BooleanSupplier condition, long timeoutSeconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // not yet: the condition's server may be restarting
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out after " + timeoutSeconds + " s waiting for " + what);
    }

    String logs() {
        StringBuilder sb = new StringBuilder();
        for (JynamoProcess p : processes) {
            String log = p.log();
            sb.append("---- ").append(p).append(" ----\n").append(log.length() > 4000 ? log.substring(log.length() - 4000) : log);
        }
        return sb.toString();
    }

    @Override
    public void close() throws Exception {
        for (JynamoProcess p : processes) {
            p.kill();
        }
        if (store != null) {
            store.close();
        }
        if (nats != null) {
            nats.close();
        }
        etcd.close();
        etcd.wipeData(dir);
    }
}
