package io.jynamo.engine;

import io.jynamo.engine.kv.BlockTable;
import io.jynamo.engine.kv.KvCache;
import io.jynamo.engine.kv.KvCacheConfig;
import io.jynamo.engine.model.forward.Transformer;
import io.jynamo.engine.parallel.WorkerPool;

/**
 * Greedy generation for one sequence: prefill the prompt in batches, then decode one token at a
 * time, always taking the most likely token. The serving engine (continuous batching, sampling)
 * builds on the same transformer and cache.
 */
public final class GreedyGenerator implements AutoCloseable {
    /**
     * @param threads         compute threads (0 = all cores)
     * @param batchTokens     prompt tokens per forward call
     * @param contextLength   longest sequence served (0 = the model's own)
     * @param blockSizeTokens KV cache block size
     * @param kvCacheTokens   tokens the KV pool holds (0 = the context length)
     */
    public record Options(int threads, int batchTokens, int contextLength, int blockSizeTokens, int kvCacheTokens) {
        public Options {
            if (threads < 0) {
                throw EngineException.badInput("--threads must be >= 0, got " + threads);
            }
            if (batchTokens < 1) {
                throw EngineException.badInput("--batch-size must be >= 1, got " + batchTokens);
            }
            if (contextLength < 0) {
                throw EngineException.badInput("--context-length must be >= 0, got " + contextLength);
            }
            if (kvCacheTokens < 0) {
                throw EngineException.badInput("KV cache size must be >= 0 tokens, got " + kvCacheTokens);
            }
            if (blockSizeTokens < 1) {
                throw EngineException.badInput("--kv-cache-block-size must be >= 1, got " + blockSizeTokens);
            }
        }

        public static Options defaults() {
            return new Options(0, 512, 0, 16, 0);
        }

        int resolvedThreads() {
            return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        }
    }

    /** What one generation produced, with its timings. */
    public record Result(int[] tokens, float[] promptLogits, long prefillNanos, long decodeNanos, int decodeSteps) {
        public double prefillTokensPerSecond(int promptTokens) {
            return promptTokens / (prefillNanos / 1e9);
        }

        public double decodeTokensPerSecond() {
            return decodeSteps == 0 ? 0 : decodeSteps / (decodeNanos / 1e9);
        }
    }

    private final ModelConfig config;
    private final WorkerPool pool;
    private final Transformer transformer;
    private final KvCache cache;
    private final int contextLength;
    private final int kvTokens;

    public GreedyGenerator(Model model, Options options) {
        this.config = model.config();
        this.contextLength = options.contextLength() == 0 ? config.contextLength()
                : Math.min(options.contextLength(), config.contextLength());
        this.kvTokens = options.kvCacheTokens() == 0 ? contextLength
                : Math.min(options.kvCacheTokens(), contextLength);
        int blocks = ceilDiv(kvTokens, options.blockSizeTokens());
        this.pool = new WorkerPool(options.resolvedThreads());
        this.cache = new KvCache(new KvCacheConfig(config.layers(), config.kvHeads(), config.headDim(),
                options.blockSizeTokens(), blocks));
        this.transformer = new Transformer(config, model.weights(), pool,
                Math.min(options.batchTokens(), kvTokens), kvTokens);
    }

    public int contextLength() {
        return contextLength;
    }

    /**
     * Runs every kernel path (batched prefill and single-token decode) until the JIT has compiled
     * them, so that what follows runs at full speed. Returns the time it took.
     */
    public long warmUp(long budgetNanos) {
        long start = System.nanoTime();
        int promptTokens = Math.max(1, Math.min(Math.min(transformer.maxBatchTokens(), 32), kvTokens - 4));
        int[] prompt = new int[promptTokens];
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = i % config.vocabSize();
        }
        int decode = Math.min(4, kvTokens - promptTokens);
        for (int round = 0; round < 50 && System.nanoTime() - start < budgetNanos; round++) {
            run(prompt, Math.max(1, decode), null);
        }
        return System.nanoTime() - start;
    }

    /** Generates exactly {@code maxTokens} tokens after {@code prompt}. */
    public Result generate(int[] prompt, int maxTokens) {
        return run(prompt, maxTokens, null);
    }

    /**
     * Teacher forcing: feeds {@code forced} after the prompt whatever the model prefers, and returns in
     * {@link Result#tokens()} the token the model would have picked at each step. Lets a test compare
     * every step with a reference path, not only the steps before the first disagreement.
     */
    public Result followForced(int[] prompt, int[] forced) {
        for (int id : forced) {
            checkId(id);
        }
        return run(prompt, forced.length, forced);
    }

    private Result run(int[] prompt, int maxTokens, int[] forced) {
        validate(prompt, maxTokens);
        BlockTable table = new BlockTable();
        try {
            float[] logits = new float[config.vocabSize()];
            int[] out = new int[maxTokens];
            long t0 = System.nanoTime();
            table.ensureCapacity(cache, prompt.length);
            for (int off = 0; off < prompt.length; off += transformer.maxBatchTokens()) {
                int n = Math.min(transformer.maxBatchTokens(), prompt.length - off);
                transformer.forward(prompt, off, n, off, cache, table, off + n == prompt.length ? logits : null);
            }
            float[] promptLogits = logits.clone();
            long t1 = System.nanoTime();
            int[] one = new int[1];
            int pos = prompt.length;
            for (int i = 0; i < maxTokens; i++) {
                out[i] = argmax(logits);
                if (i + 1 == maxTokens) {
                    break;
                }
                one[0] = forced == null ? out[i] : forced[i];
                table.ensureCapacity(cache, pos + 1);
                transformer.forward(one, 0, 1, pos, cache, table, logits);
                pos++;
            }
            long t2 = System.nanoTime();
            return new Result(out, promptLogits, t1 - t0, t2 - t1, Math.max(0, maxTokens - 1));
        } finally {
            table.release(cache);
        }
    }

    /** Checks a request before any work: an EngineException (bad request) names what is wrong. */
    public void validate(int[] prompt, int maxTokens) {
        if (prompt.length == 0) {
            throw EngineException.badInput("the prompt is empty: give at least one token id");
        }
        if (maxTokens < 1) {
            throw EngineException.badInput("--max-tokens must be >= 1, got " + maxTokens);
        }
        for (int id : prompt) {
            checkId(id);
        }
        if ((long) prompt.length + maxTokens > contextLength) {
            throw EngineException.badInput("prompt (" + prompt.length + " tokens) + max tokens (" + maxTokens
                    + ") exceeds the context length of " + contextLength + " tokens");
        }
        if ((long) prompt.length + maxTokens > kvTokens) {
            throw EngineException.badInput("prompt (" + prompt.length + " tokens) + max tokens (" + maxTokens
                    + ") exceeds the KV cache of " + kvTokens + " tokens");
        }
    }

    private void checkId(int id) {
        if (id < 0 || id >= config.vocabSize()) {
            throw EngineException.badInput("token id " + id + " is out of range: the vocabulary has "
                    + config.vocabSize() + " tokens (0.." + (config.vocabSize() - 1) + ")");
        }
    }

    static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    @Override
    public void close() {
        pool.close();
        cache.close();
    }
}
