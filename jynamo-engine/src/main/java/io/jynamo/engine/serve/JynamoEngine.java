package io.jynamo.engine.serve;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.kv.KvEvent;
import io.jynamo.api.request.PreprocessedRequest;
import io.jynamo.api.request.SamplingOptions;
import io.jynamo.api.request.StopConditions;
import io.jynamo.engine.EngineConfig;
import io.jynamo.engine.EngineException;
import io.jynamo.engine.KvBlocks;
import io.jynamo.engine.ServingEngine;
import io.jynamo.api.engine.EngineMetrics;
import io.jynamo.api.engine.RequestStream;
import io.jynamo.engine.backend.Backend;
import io.jynamo.engine.backend.CpuBackend;
import io.jynamo.engine.exec.Executor;
import io.jynamo.engine.kv.BlockManager;
import io.jynamo.engine.kv.KvCache;
import io.jynamo.engine.kv.KvCacheConfig;
import io.jynamo.engine.Model;
import io.jynamo.engine.ModelConfig;
import io.jynamo.engine.model.forward.Transformer;
import io.jynamo.engine.parallel.Collectives;
import io.jynamo.engine.parallel.SingleRankCollectives;
import io.jynamo.engine.parallel.WorkerPool;
import io.jynamo.engine.sample.Sampler;
import io.jynamo.engine.sample.SamplerScratch;
import io.jynamo.engine.sample.TokenHistory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The continuous-batching engine: one platform thread runs {@link Step}s; submissions reach it
 * through a bounded queue ({@code maxWaiting}), cancellations through a flag on the request, and
 * work on what the step thread owns (KV export and import) through a bounded command queue that the
 * loop drains between steps ({@link StepCommands}): {@link #exportPrefix} and {@link #importPrefix}
 * block their caller until the step thread has run them. The model stays the caller's: closing the
 * engine frees the worker threads and the KV pool only.
 */
public final class JynamoEngine implements ServingEngine {
    /** Export and import requests waiting for the step thread; more are refused as UNAVAILABLE. */
    private static final int MAX_COMMANDS = 64;

    private final ModelConfig model;
    private final EngineConfig config;
    private final int contextLength;
    private final WorkerPool pool;
    private final KvCache cache;
    private final BlockManager blocks;
    private final Scheduler scheduler;
    private final Step step;
    private final SamplerScratch scratch;
    private final ArrayBlockingQueue<RequestState> inbox;
    private final StepCommands commands;
    private final PrefixTransfer transfer;
    private final Map<String, RequestState> inFlight = new ConcurrentHashMap<>();
    private final List<Consumer<KvEvent.Envelope>> listeners = new CopyOnWriteArrayList<>();
    private final Thread loop;
    private volatile boolean closed;
    private volatile EngineMetrics metrics;
    private volatile StepProfile profile = new StepProfile(0, 0, 0);

    public JynamoEngine(Model model, EngineConfig config) {
        this(model, config, f -> f);
    }

    /** As the public constructor, with the forward pass wrapped (tests inject failures through it). */
    JynamoEngine(Model model, EngineConfig config, java.util.function.UnaryOperator<ForwardPass> wrapForward) {
        this.model = model.config();
        this.config = config;
        EngineConfig.Concluded concluded = config.conclude(this.model);
        this.contextLength = concluded.contextLength();
        int bs = concluded.blockSizeTokens();
        this.pool = new WorkerPool(concluded.threads());
        this.cache = new KvCache(new KvCacheConfig(this.model.layers(), this.model.kvHeads(), this.model.headDim(),
                bs, concluded.kvBlocks()));
        this.blocks = new BlockManager(cache, 0, this::publish);
        Collectives ranks = SingleRankCollectives.INSTANCE;
        Backend backend = new CpuBackend(pool, config.maxNumBatchedTokens(), Transformer.widestInput(this.model));
        Transformer transformer = new Transformer(this.model, model.weights(), backend, ranks,
                config.maxNumBatchedTokens(), contextLength);
        Executor executor = new Executor(transformer, cache, ranks);
        this.scheduler = new Scheduler(blocks, bs, config.maxNumSeqs(), config.maxNumBatchedTokens());
        this.step = new Step(scheduler, wrapForward.apply(executor::run), this.model.vocabSize(), config.maxNumSeqs(),
                config.maxNumBatchedTokens(), config.eosTokenIds(), r -> inFlight.remove(r.id, r));
        this.scratch = new SamplerScratch(this.model.vocabSize());
        this.inbox = new ArrayBlockingQueue<>(config.maxWaiting());
        this.transfer = new PrefixTransfer(cache, blocks);
        this.commands = new StepCommands(MAX_COMMANDS, () -> !closed);
        this.metrics = snapshot();
        this.loop = Thread.ofPlatform().name("jynamo-engine").daemon().start(this::runLoop);
    }

    @Override
    public RequestStream submit(PreprocessedRequest request) {
        if (closed) {
            throw new EngineException(ErrorCategory.UNAVAILABLE, "the engine is closed");
        }
        validate(request);
        OutputBuffer stream = new OutputBuffer(request.requestId(), request.n(), request.stop().maxTokens(),
                request.output().logprobs(), this::cancel);
        RequestState state = new RequestState(request, stream);
        if (inFlight.putIfAbsent(state.id, state) != null) {
            throw EngineException.badInput("request id '" + state.id + "' is already in flight");
        }
        if (!inbox.offer(state)) {
            inFlight.remove(state.id, state);
            throw new EngineException(ErrorCategory.UNAVAILABLE, "the engine's waiting queue is full ("
                    + config.maxWaiting() + " requests); retry later");
        }
        return stream;
    }

    private void validate(PreprocessedRequest r) {
        int vocab = model.vocabSize();
        for (int id : r.tokenIds()) {
            if (id < 0 || id >= vocab) {
                throw EngineException.badInput("token id " + id + " in the prompt of request '" + r.requestId()
                        + "' is outside the vocabulary of " + vocab + " tokens (0.." + (vocab - 1) + ")");
            }
        }
        long total = (long) r.promptLength() + r.stop().maxTokens();
        if (total > contextLength) {
            throw EngineException.badInput("prompt (" + r.promptLength() + " tokens) + max_tokens ("
                    + r.stop().maxTokens() + ") exceeds the context length of " + contextLength + " tokens");
        }
        long poolTokens = (long) cache.config().numBlocks() * cache.config().blockSizeTokens();
        if (total > poolTokens) {
            throw EngineException.badInput("prompt (" + r.promptLength() + " tokens) + max_tokens ("
                    + r.stop().maxTokens() + ") exceeds the KV cache of " + poolTokens + " tokens");
        }
    }

    @Override
    public void cancel(String requestId) {
        RequestState r = requestId == null ? null : inFlight.get(requestId);
        if (r != null) {
            r.cancelled = true;
        }
    }

    @Override
    public EngineMetrics metrics() {
        return metrics;
    }

    @Override
    public void subscribeKvEvents(Consumer<KvEvent.Envelope> listener) {
        listeners.add(listener);
    }

    private void publish(KvEvent.Envelope event) {
        for (Consumer<KvEvent.Envelope> l : listeners) {
            l.accept(event);
        }
    }

    private void runLoop() {
        try {
            while (!closed) {
                commands.runAll();
                drainInbox();
                boolean worked = step.run();
                metrics = snapshot();
                if (worked) {
                    profile = new StepProfile(step.steps, step.stepNanos, step.forwardNanos);
                }
                if (!worked) {
                    RequestState r = inbox.poll(5, TimeUnit.MILLISECONDS);
                    if (r != null) {
                        enqueue(r);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            commands.failAll();
            drainInbox();
            step.failAll("the engine is closed");
            metrics = snapshot();
        }
    }

    private void drainInbox() {
        while (scheduler.waiting.size() < config.maxWaiting()) {
            RequestState r = inbox.poll();
            if (r == null) {
                return;
            }
            enqueue(r);
        }
    }

    /** Turns a request into its n sequences at the back of the waiting queue. */
    private void enqueue(RequestState r) {
        SamplingOptions o = r.request.sampling();
        for (int i = 0; i < r.sequences.length; i++) {
            // Sequence i draws from seed + i, so the n samples of a seeded request differ yet repeat.
            SamplingOptions oi = o.seed() == null || i == 0 ? o : new SamplingOptions(o.temperature(), o.topK(),
                    o.topP(), o.minP(), o.seed() + i, o.repetitionPenalty(), o.frequencyPenalty(),
                    o.presencePenalty());
            Sequence s = new Sequence(r, i, new Sampler(oi, scratch), new TokenHistory(model.vocabSize()),
                    config.blockSizeTokens());
            r.sequences[i] = s;
            scheduler.waiting.addLast(s);
        }
    }

    private EngineMetrics snapshot() {
        int total = cache.config().numBlocks();
        double hit = scheduler.promptTokens == 0 ? 0 : (double) scheduler.cachedPromptTokens / scheduler.promptTokens;
        double meanMs = step.steps == 0 ? 0 : step.stepNanos / 1e6 / step.steps;
        return new EngineMetrics(scheduler.running.size(), scheduler.waiting.size() + inbox.size(),
                total - blocks.availableBlocks(), blocks.cachedBlocks(), total, hit, scheduler.cachedPromptTokens,
                scheduler.promptTokens, step.tokensGenerated, scheduler.preemptions, step.steps, meanMs);
    }

    /**
     * Runs small batches of synthetic requests until the JIT has compiled the step's paths or the
     * budget is spent; returns the time taken. Prompts stay shorter than a block (when blocks hold
     * 8 tokens or more), so nothing enters the prefix cache and no KV event is published.
     */
    @Override
    public long warmUp(long budgetNanos) throws InterruptedException {
        long start = System.nanoTime();
        int promptTokens = Math.max(1, config.blockSizeTokens() - 5);
        int[] prompt = new int[promptTokens];
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = (i * 7919) % model.vocabSize();
        }
        int parallel = Math.min(4, config.maxNumSeqs());
        for (int round = 0; round < 50 && System.nanoTime() - start < budgetNanos; round++) {
            RequestStream[] streams = new RequestStream[parallel];
            for (int i = 0; i < parallel; i++) {
                streams[i] = submit(new PreprocessedRequest("warm-up-" + round + "-" + i, "warm-up", prompt,
                        SamplingOptions.GREEDY, StopConditions.maxTokens(4), null, 1));
            }
            for (RequestStream stream : streams) {
                while (stream.take() != null) {
                    // drained: the outputs are of no use
                }
            }
        }
        return System.nanoTime() - start;
    }

    @Override
    public KvBlocks exportPrefix(int[] promptTokens) {
        if (promptTokens == null) {
            throw EngineException.badInput("no prompt tokens to export the KV blocks of");
        }
        return onStepThread(() -> transfer.export(promptTokens));
    }

    @Override
    public int importPrefix(KvBlocks blocks) {
        if (blocks == null) {
            throw EngineException.badInput("no KV blocks to import");
        }
        return onStepThread(() -> transfer.importBlocks(blocks));
    }

    private <T> T onStepThread(java.util.function.Supplier<T> work) {
        if (closed) {
            throw new EngineException(ErrorCategory.UNAVAILABLE, "the engine is closed");
        }
        return commands.call(work);
    }

    @Override
    public StepProfile profile() {
        return profile;
    }

    @Override
    public int contextLength() {
        return contextLength;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            loop.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // A submit that raced with close may have queued after the loop's last look.
        commands.failAll();
        drainInbox();
        step.failAll("the engine is closed");
        pool.close();
        cache.close();
    }
}
