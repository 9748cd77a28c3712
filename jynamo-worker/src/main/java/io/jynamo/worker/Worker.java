package io.jynamo.worker;

import io.jynamo.api.engine.Engine;
import io.jynamo.engine.EchoEngine;
import io.jynamo.engine.EngineConfig;
import io.jynamo.engine.Engines;
import io.jynamo.engine.Model;
import io.jynamo.engine.ModelLoader;
import io.jynamo.engine.ServingEngine;
import io.jynamo.llm.CardFileEndpoint;
import io.jynamo.llm.CardFiles;
import io.jynamo.llm.EngineEndpoint;
import io.jynamo.llm.ModelCard;
import io.jynamo.llm.ModelEntry;
import io.jynamo.llm.ModelRegistration;
import io.jynamo.llm.PublishedCard;
import io.jynamo.runtime.DiscoveryStore;
import io.jynamo.runtime.EndpointId;
import io.jynamo.runtime.EventPlane;
import io.jynamo.runtime.Instance;
import io.jynamo.runtime.Lease;
import io.jynamo.runtime.Registration;
import io.jynamo.runtime.RequestPlane;
import io.jynamo.runtime.ServedEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One model replica served to a deployment. {@link #start} loads the model, starts its engine, and
 * registers, under one lease ({@link Registration#TTL}), its generate endpoint
 * ({@code {ns}/backend/generate}), its card files endpoint ({@code {ns}/backend/files}), its model
 * entry and the model card; with an event plane it publishes the engine's KV events. Everything that
 * can fail on bad input (the model, the card, a card conflict, the engine's settings) is checked
 * before anything is registered. {@link #close} leaves discovery first (the lease is revoked, so no new
 * request comes), then stops serving and frees the engine.
 *
 * <p>The same assembly serves every deployment: {@code jynamo worker} on etcd or a discovery directory
 * and TCP or NATS, and {@code jynamo run} in one JVM on in-memory discovery and the in-process planes.
 */
public final class Worker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

    private final String servedName;
    private final Instance instance;
    private final Lease lease;
    private final ModelCard card;
    private final Engine engine;
    /** Set once the lease is revoked (by the shutdown hook or by close). */
    private final AtomicBoolean left = new AtomicBoolean();
    /** What to close at exit, last opened first. */
    private final Deque<AutoCloseable> resources;

    private Worker(String servedName, Instance instance, Lease lease, ModelCard card, Engine engine,
                   Deque<AutoCloseable> resources) {
        this.servedName = servedName;
        this.instance = instance;
        this.lease = lease;
        this.card = card;
        this.engine = engine;
        this.resources = resources;
    }

    /**
     * Assembles the worker and registers it. The store and planes stay the caller's (close them after the
     * worker). Throws a {@link io.jynamo.api.JynamoException} naming the cause, with nothing left
     * registered, when the worker cannot be assembled.
     *
     * @param events where KV events go, or null to publish none
     * @param log    where the engine's start-up lines go
     */
    public static Worker start(WorkerConfig config, DiscoveryStore store, RequestPlane plane, EventPlane events,
                               PrintWriter log) throws InterruptedException {
        Path path = config.modelPath();
        if (!Files.exists(path)) {
            throw WorkerException.badInput("model not found: " + path);
        }
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            Model model = ModelLoader.load(path);
            opened.push(model);
            int ctx = EngineConfig.contextLength(config.contextLength(), model.config());
            String name = config.servedName();
            ModelCard card = ModelFiles.card(path, name, ctx, config.kvBlockSize());
            boolean hf = Files.isDirectory(path);
            Map<String, byte[]> files = new LinkedHashMap<>(hf ? CardFiles.ofHuggingFaceDirectory(path)
                    : CardFiles.ofGgufVocab(ModelFiles.vocab(path)));
            if (config.chatTemplate() != null) {
                files = CardFiles.withChatTemplate(files, ModelFiles.chatTemplate(config.chatTemplate()));
            }
            PublishedCard published = PublishedCard.of(name, hf ? "hf" : "gguf", ctx, config.kvBlockSize(),
                    card.eosTokenIds(), card.bosToken(), card.eosToken(), files);
            String slug = ModelEntry.slug(name);
            refuseOtherCard(store, slug, published);

            Engine engine = startEngine(config, model, card, log);
            opened.push(engine);
            if (config.engine() == WorkerConfig.EngineKind.ECHO) {
                opened.remove(model);
                model.close();  // the echo engine reads no weights
            }
            Lease lease = store.createLease(Registration.TTL);
            opened.push(lease);
            long id = lease.id();
            EndpointId ep = new EndpointId(config.namespace(), WorkerConfig.COMPONENT, WorkerConfig.ENDPOINT);
            ServedEndpoint gen = EngineEndpoint.serve(plane, ep, id, engine);
            opened.push(gen);
            ServedEndpoint fs = CardFileEndpoint.serve(plane, config.namespace(), id, files);
            opened.push(fs);
            if (events != null) {
                EngineEndpoint.publishKvEvents(engine, events, ep, id);
            }
            Registration.registerInstance(store, lease, gen.instance());
            Registration.registerInstance(store, lease, fs.instance());
            ModelRegistration.putModelCard(store, lease, slug, published.toJson());
            ModelRegistration.registerModel(store, lease, new ModelEntry(name, ep, "chat", config.kvBlockSize(), ctx,
                    Map.of("card_checksum", published.checksum(), "request_plane", plane.kind().wireName())), id);
            opened.push(rewriteCardWhenDeleted(store, lease, slug, published));
            return new Worker(name, gen.instance(), lease, card, engine, opened);
        } catch (RuntimeException | InterruptedException e) {
            closeAll(opened);
            throw e;
        }
    }

    /** The card key lives under the lease of whoever wrote it last: when that worker leaves, write it again. */
    private static DiscoveryStore.Watch rewriteCardWhenDeleted(DiscoveryStore store, Lease lease, String slug,
                                                               PublishedCard published) {
        String key = ModelRegistration.mdcKey(slug);
        return store.watchPrefix(key, ev -> {
            if (ev instanceof DiscoveryStore.WatchEvent.Delete && ev.key().equals(key)) {
                try {
                    ModelRegistration.putModelCard(store, lease, slug, published.toJson());
                } catch (RuntimeException ex) {
                    LOG.warn("cannot write the model card again: {}", ex.getMessage());
                }
            }
        });
    }

    /** Refuses to join when the model's name is registered with another card (other tokenizer or limits). */
    static void refuseOtherCard(DiscoveryStore store, String slug, PublishedCard mine) {
        byte[] existing = store.get(ModelRegistration.mdcKey(slug)).orElse(null);
        if (existing == null) {
            return;
        }
        PublishedCard theirs;
        try {
            theirs = PublishedCard.parse(existing);
        } catch (RuntimeException e) {
            LOG.warn("the model card at {} is malformed ({}); writing ours", ModelRegistration.mdcKey(slug),
                    e.getMessage());
            return;
        }
        if (!theirs.checksum().equals(mine.checksum()) || theirs.contextLength() != mine.contextLength()
                || theirs.kvBlockSize() != mine.kvBlockSize()) {
            throw WorkerException.badInput("the model '" + mine.servedName() + "' is already served with another "
                    + "model card (" + describe(theirs) + ") than this worker's (" + describe(mine) + "); serve it under "
                    + "another --served-model-name, or stop the workers of the other one");
        }
    }

    private static String describe(PublishedCard c) {
        return "checksum " + c.checksum().substring(0, 12) + ", " + c.kind() + ", context " + c.contextLength()
                + ", kv block " + c.kvBlockSize();
    }

    private static Engine startEngine(WorkerConfig c, Model model, ModelCard card, PrintWriter log)
            throws InterruptedException {
        EngineConfig config = c.engineSettings().configure(model.config(), card.eosTokenIds());
        if (c.engine() == WorkerConfig.EngineKind.ECHO) {
            return new EchoEngine(c.echoDelayNanos(), card.contextLength(), config.maxNumSeqs(), config.maxWaiting());
        }
        ServingEngine e = Engines.start(model, config);
        try {
            if (c.warmupMs() > 0) {
                log.printf(Locale.ROOT, "warm-up: %.1f s%n", e.warmUp(c.warmupMs() * 1_000_000L) / 1e9);
            }
        } catch (InterruptedException | RuntimeException ex) {
            e.close();
            throw ex;
        }
        int threads = config.resolvedThreads();
        int blocks = e.metrics().kvBlocksTotal();
        log.printf(Locale.ROOT, "engine: %d thread%s, up to %d sequences, context %d; KV pool %d blocks of %d tokens "
                        + "(%s, %s), committed as it fills%n",
                threads, threads == 1 ? "" : "s", config.maxNumSeqs(), e.contextLength(), blocks,
                config.blockSizeTokens(), mib(blocks * EngineConfig.kvBytesPerBlock(model.config(),
                        config.blockSizeTokens())), config.kvPoolReason(model.config()));
        log.flush();
        return e;
    }

    private static String mib(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%d MiB", (bytes + (1L << 20) - 1) >> 20);
    }

    public String servedName() {
        return servedName;
    }

    /** The generate endpoint's instance (its id is the lease id, as in Dynamo). */
    public Instance instance() {
        return instance;
    }

    /** The card the worker built from its files (the frontend rebuilds the same card from what the worker serves). */
    public ModelCard card() {
        return card;
    }

    /** The engine behind the endpoint, for what only this process may ask of it (its metrics, KV events). */
    public Engine engine() {
        return engine;
    }

    /**
     * Serves until the JVM is asked to stop (SIGTERM, SIGINT), then leaves discovery, stops serving and
     * closes, before the JVM exits (within 10 s).
     */
    public void awaitShutdown() throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            revoke();  // leave discovery first, so that no new request comes
            stopped.countDown();
            try {
                done.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "jynamo-worker-shutdown"));
        try {
            stopped.await();
        } finally {
            close();
            done.countDown();
        }
    }

    private void revoke() {
        if (!left.compareAndSet(false, true)) {
            return;
        }
        try {
            lease.revoke();
            LOG.info("instance {} of '{}' left discovery; finishing and stopping", instance.instanceIdHex(), servedName);
        } catch (RuntimeException e) {
            LOG.warn("cannot revoke the lease of instance {} ({}); discovery drops it when the lease expires",
                    instance.instanceIdHex(), e.getMessage());
        }
    }

    /** Leaves discovery, stops serving, frees the engine and the model. Idempotent. */
    @Override
    public void close() {
        revoke();
        closeAll(resources);
    }

    private static void closeAll(Deque<AutoCloseable> resources) {
        synchronized (resources) {
            while (!resources.isEmpty()) {
                try {
                    resources.pop().close();
                } catch (Exception e) {
                    LOG.debug("closing: {}", e.toString());
                }
            }
        }
    }
}
