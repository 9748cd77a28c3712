package io.jynamo.cli;

import io.jynamo.api.engine.Engine;
import io.jynamo.engine.EngineConfig;
import io.jynamo.engine.ModelLoader;
import io.jynamo.engine.Model;
import io.jynamo.engine.EchoEngine;
import io.jynamo.engine.Engines;
import io.jynamo.engine.ServingEngine;
import io.jynamo.llm.CardFiles;
import io.jynamo.llm.ModelCard;
import io.jynamo.runtime.CardFileEndpoint;
import io.jynamo.runtime.DiscoveryStore;
import io.jynamo.runtime.EndpointId;
import io.jynamo.runtime.EngineEndpoint;
import io.jynamo.runtime.EventPlane;
import io.jynamo.runtime.Lease;
import io.jynamo.runtime.ModelEntry;
import io.jynamo.runtime.PublishedCard;
import io.jynamo.runtime.Registration;
import io.jynamo.runtime.RequestPlane;
import io.jynamo.runtime.ServedEndpoint;
import io.jynamo.runtime.tcp.TcpConfig;
import io.jynamo.runtime.tcp.TcpRequestPlane;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code jynamo worker}: serves one model replica to the deployment. It registers, under one lease
 * ({@link Registration#TTL}), its generate endpoint ({@code {ns}/backend/generate}), its card files
 * endpoint ({@code {ns}/backend/files}), its model entry and the model card, then serves until SIGTERM
 * or SIGINT, when it revokes the lease so that it leaves discovery at once.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Serve a model to a distributed deployment: registers in discovery (ETCD_ENDPOINTS, or "
                + "--discovery file:DIR on one host) and serves requests over TCP or NATS (NATS_SERVER).")
final class WorkerCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerCommand.class);
    static final String COMPONENT = "backend";
    static final String ENDPOINT = "generate";

    @Mixin
    WorkerOptions worker;

    @Mixin
    EngineOptions engine;

    @Option(names = "--discovery", defaultValue = "${env:JYN_DISCOVERY}",
            description = "file:DIR for discovery in a directory on one host; etcd is used when ETCD_ENDPOINTS is set "
                    + "(env JYN_DISCOVERY)")
    String discovery;

    @Option(names = "--advertise-host", defaultValue = "${env:JYN_ADVERTISE_HOST}",
            description = "the address others reach this worker's TCP plane at (env JYN_ADVERTISE_HOST; default: "
                    + "the local address facing etcd)")
    String advertiseHost;

    @Option(names = "--tcp-port", defaultValue = "${env:JYN_TCP_PORT:-0}",
            description = "the TCP request plane's port, 0 = any free one (env JYN_TCP_PORT)")
    int tcpPort;

    @Option(names = "--echo-delay-ms", defaultValue = "${env:JYN_ECHO_DELAY_MS:-0}",
            description = "--engine echo: pause before each echoed token (env JYN_ECHO_DELAY_MS)")
    double echoDelayMs;

    @Option(names = "--warmup-ms", defaultValue = "${env:JYN_WARMUP_MS:-3000}",
            description = "run small batches through every kernel before serving, at most this long (env JYN_WARMUP_MS)")
    long warmupMs;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** What to close at exit, last opened first. */
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    @Override
    public Integer call() throws Exception {
        worker.validate();
        PrintWriter err = spec.commandLine().getErr();
        Path path = worker.modelPath;
        if (!Files.exists(path)) {
            throw CliException.badInput("model not found: " + path);
        }
        String nats = Infra.natsServer();
        if (worker.requestPlane.equals("nats") && nats == null) {
            throw CliException.badInput("--request-plane nats needs NATS_SERVER (e.g. nats://HOST:4222)");
        }
        try {
            DiscoveryStore store = open(Infra.openDiscovery(discovery));
            RequestPlane plane = open(worker.requestPlane.equals("nats") ? Infra.natsRequestPlane(nats)
                    : new TcpRequestPlane(new TcpConfig("0.0.0.0", tcpPort,
                    advertiseHost != null && !advertiseHost.isBlank() ? advertiseHost : Infra.advertisedHost(),
                    Duration.ofSeconds(2))));
            EventPlane events = nats == null ? null : open(Infra.natsEventPlane(nats));

            String name = worker.servedName();
            Model model = open(ModelLoader.load(path));
            int ctx = engine.contextLength(model.config());
            ModelCard card = ModelFiles.card(path, name, ctx, engine.blockSize);
            boolean hf = Files.isDirectory(path);
            Map<String, byte[]> files = new LinkedHashMap<>(hf ? CardFiles.ofHuggingFaceDirectory(path)
                    : CardFiles.ofGgufVocab(ModelFiles.vocab(path)));
            PublishedCard published = PublishedCard.of(name, hf ? "hf" : "gguf", ctx, engine.blockSize,
                    card.eosTokenIds(), card.bosToken(), card.eosToken(), files);
            String slug = ModelEntry.slug(name);
            refuseOtherCard(store, slug, published);

            Engine e = open(startEngine(model, path, card, err));
            Lease lease = open(store.createLease(Registration.TTL));
            long id = lease.id();
            EndpointId ep = new EndpointId(worker.namespace, COMPONENT, ENDPOINT);
            ServedEndpoint gen = open(EngineEndpoint.serve(plane, ep, id, e));
            ServedEndpoint fs = open(CardFileEndpoint.serve(plane, worker.namespace, id, files));
            if (events != null) {
                EngineEndpoint.publishKvEvents(e, events, ep, id);
            }
            Registration.registerInstance(store, lease, gen.instance());
            Registration.registerInstance(store, lease, fs.instance());
            Registration.putModelCard(store, lease, slug, published.toJson());
            Registration.registerModel(store, lease, new ModelEntry(name, ep, "chat", engine.blockSize, ctx,
                    Map.of("card_checksum", published.checksum(), "request_plane", plane.kind().wireName())), id);
            // The card key lives under the lease of whoever wrote it last: when that worker leaves, write it again.
            open(store.watchPrefix(Registration.mdcKey(slug), ev -> {
                if (ev instanceof DiscoveryStore.WatchEvent.Delete && ev.key().equals(Registration.mdcKey(slug))) {
                    try {
                        Registration.putModelCard(store, lease, slug, published.toJson());
                    } catch (RuntimeException ex) {
                        LOG.warn("cannot write the model card again: {}", ex.getMessage());
                    }
                }
            }));
            err.printf(Locale.ROOT, "worker: serving '%s' as instance %s of %s on %s %s (discovery: %s; Ctrl-C stops)%n",
                    name, gen.instance().instanceIdHex(), ep, plane.kind().wireName(), gen.instance().transport().address(),
                    Infra.describeDiscovery(discovery));
            err.flush();
            awaitShutdown(lease);
            return 0;
        } finally {
            closeAll();
        }
    }

    /** Refuses to join when the model's name is registered with another card (other tokenizer or limits). */
    static void refuseOtherCard(DiscoveryStore store, String slug, PublishedCard mine) {
        byte[] existing = store.get(Registration.mdcKey(slug)).orElse(null);
        if (existing == null) {
            return;
        }
        PublishedCard theirs;
        try {
            theirs = PublishedCard.parse(existing);
        } catch (RuntimeException e) {
            LOG.warn("the model card at {} is malformed ({}); writing ours", Registration.mdcKey(slug), e.getMessage());
            return;
        }
        if (!theirs.checksum().equals(mine.checksum()) || theirs.contextLength() != mine.contextLength()
                || theirs.kvBlockSize() != mine.kvBlockSize()) {
            throw CliException.badInput("the model '" + mine.servedName() + "' is already served with another model card ("
                    + describe(theirs) + ") than this worker's (" + describe(mine) + "); serve it under another "
                    + "--served-model-name, or stop the workers of the other one");
        }
    }

    private static String describe(PublishedCard c) {
        return "checksum " + c.checksum().substring(0, 12) + ", " + c.kind() + ", context " + c.contextLength()
                + ", kv block " + c.kvBlockSize();
    }

    private Engine startEngine(Model model, Path path, ModelCard card, PrintWriter err) throws InterruptedException {
        if (worker.engine.equals("echo")) {
            return new EchoEngine((long) (echoDelayMs * 1e6), card.contextLength(), engine.maxNumSeqs, engine.maxWaiting);
        }
        EngineConfig config = engine.toConfig(model.config(), path, card.eosTokenIds());
        ServingEngine e = Engines.start(model, config);
        if (warmupMs > 0) {
            err.printf(Locale.ROOT, "warm-up: %.1f s%n", e.warmUp(warmupMs * 1_000_000L) / 1e9);
        }
        err.printf(Locale.ROOT, "engine: %d threads, up to %d sequences, %d KV blocks of %d tokens, context %d%n",
                config.resolvedThreads(), config.maxNumSeqs(), e.metrics().kvBlocksTotal(), config.blockSizeTokens(),
                e.contextLength());
        return e;
    }

    private void awaitShutdown(Lease lease) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                lease.revoke();  // leave discovery first, so that no new request comes
            } catch (RuntimeException e) {
                LOG.warn("cannot revoke the lease: {}", e.getMessage());
            }
            stopped.countDown();
            try {
                done.await(java.util.concurrent.TimeUnit.SECONDS.toMillis(10), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "jynamo-worker-shutdown"));
        try {
            stopped.await();
        } finally {
            closeAll();
            done.countDown();
        }
    }

    private <T extends AutoCloseable> T open(T resource) {
        resources.push(resource);
        return resource;
    }

    private synchronized void closeAll() {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                LOG.debug("closing: {}", e.toString());
            }
        }
    }
}
