package io.jynamo.cli;

import io.jynamo.runtime.DiscoveryStore;
import io.jynamo.runtime.EventPlane;
import io.jynamo.runtime.Planes;
import io.jynamo.runtime.RequestPlane;
import io.jynamo.runtime.TcpConfig;
import io.jynamo.worker.Worker;
import io.jynamo.worker.WorkerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code jynamo worker}: serves one model replica to the deployment. It opens discovery and the planes
 * the flags and environment name, and hands them to a {@link Worker}, which registers and serves
 * until SIGTERM or SIGINT, when it leaves discovery at once.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Serve a model to a distributed deployment: registers in discovery (ETCD_ENDPOINTS, or "
                + "--discovery file:DIR on one host) and serves requests over TCP or NATS (NATS_SERVER).")
final class WorkerCommand implements Callable<Integer> {
    @Mixin
    WorkerOptions worker;

    @Mixin
    EngineOptions engine;

    @Option(names = "--discovery", defaultValue = "${env:JYN_DISCOVERY}",
            description = "file:DIR for discovery in a directory on one host; etcd is used when ETCD_ENDPOINTS is set "
                    + "(env JYN_DISCOVERY, default: etcd if ETCD_ENDPOINTS is set, else refused)")
    String discovery;

    @Option(names = "--advertise-host", defaultValue = "${env:JYN_ADVERTISE_HOST}",
            description = "the address others reach this worker's TCP plane at (env JYN_ADVERTISE_HOST; default: "
                    + "the local address facing etcd)")
    String advertiseHost;

    @Option(names = "--tcp-port", defaultValue = "${env:JYN_TCP_PORT:-0}",
            description = "the TCP request plane's port, 0 = any free one (env JYN_TCP_PORT, default ${DEFAULT-VALUE})")
    int tcpPort;

    @Option(names = "--echo-delay-ms", defaultValue = "${env:JYN_ECHO_DELAY_MS:-0}",
            description = "--engine echo: pause before each echoed token (env JYN_ECHO_DELAY_MS, default ${DEFAULT-VALUE})")
    double echoDelayMs;

    @Option(names = "--warmup-ms", defaultValue = "${env:JYN_WARMUP_MS:-3000}",
            description = "run small batches through every kernel before serving, at most this long "
                    + "(env JYN_WARMUP_MS, default ${DEFAULT-VALUE})")
    long warmupMs;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        worker.validate();
        engine.validate();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.exists(worker.modelPath)) {
            throw CliException.badInput("model not found: " + worker.modelPath);
        }
        String nats = Infra.natsServer();
        if (worker.requestPlane.equals("nats") && nats == null) {
            throw CliException.badInput("--request-plane nats needs NATS_SERVER (e.g. nats://HOST:4222)");
        }
        Deque<AutoCloseable> resources = new ArrayDeque<>();
        try {
            DiscoveryStore store = open(resources, Infra.openDiscovery(discovery));
            RequestPlane plane = open(resources, worker.requestPlane.equals("nats") ? Infra.natsRequestPlane(nats)
                    : Planes.tcp(new TcpConfig("0.0.0.0", tcpPort,
                    advertiseHost != null && !advertiseHost.isBlank() ? advertiseHost : Infra.advertisedHost(),
                    Duration.ofSeconds(2))));
            EventPlane events = nats == null ? null : open(resources, Infra.natsEventPlane(nats));
            Worker w = open(resources, Worker.start(config(), store, plane, events, err));
            err.printf(Locale.ROOT, "worker: serving '%s' as instance %s of %s on %s %s (discovery: %s; Ctrl-C stops)%n",
                    w.servedName(), w.instance().instanceIdHex(), w.instance().endpoint(), plane.kind().wireName(),
                    w.instance().transport().address(), Infra.describeDiscovery(discovery));
            err.flush();
            w.awaitShutdown();
            return 0;
        } finally {
            closeAll(resources);
        }
    }

    private WorkerConfig config() {
        return new WorkerConfig(worker.modelPath, worker.servedName(), worker.namespace,
                worker.engine.equals("echo") ? WorkerConfig.EngineKind.ECHO : WorkerConfig.EngineKind.JYNAMO,
                (model, eos) -> engine.toConfig(model, worker.modelPath, eos), engine.contextLength, engine.blockSize,
                (long) (echoDelayMs * 1e6), warmupMs, worker.chatTemplate);
    }

    static <T extends AutoCloseable> T open(Deque<AutoCloseable> resources, T resource) {
        resources.push(resource);
        return resource;
    }

    static void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                // shutting down: nothing more to do
            }
        }
    }
}
