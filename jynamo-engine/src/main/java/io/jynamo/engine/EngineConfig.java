package io.jynamo.engine;

import io.jynamo.engine.kv.KvCacheConfig;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Settings of a serving engine, as given (flags, environment, a test). What follows from them and
 * the model (the context length served, the KV pool's size, the thread count) is computed once, by
 * {@link #conclude}, as Aeron's {@code Context.conclude()} does: the engine and the CLI both ask it,
 * so the numbers a worker advertises are the numbers its engine uses.
 *
 * <p>The KV pool's size is the first of: {@code kvCacheTokens} (tokens, rounded up to whole blocks),
 * {@code kvCacheBlocks}, what {@code memFractionStatic} of RAM leaves after the weights, or
 * {@link #DEFAULT_KV_BYTES} worth of blocks but no more than every sequence at full context needs.
 *
 * @param threads             compute threads (0 = all cores)
 * @param maxNumSeqs          most sequences running at once ({@code --max-num-seqs})
 * @param maxNumBatchedTokens most tokens in one step's forward pass ({@code --max-num-batched-tokens})
 * @param maxWaiting          most requests queued before submit refuses with UNAVAILABLE ({@code --max-waiting})
 * @param contextLength       longest sequence served (0 = the model's own)
 * @param blockSizeTokens     KV block size
 * @param kvCacheTokens       tokens the KV pool holds (0 = decided by the settings below)
 * @param kvCacheBlocks       blocks in the KV pool ({@code --kv-cache-blocks}; 0 = decided by the settings below)
 * @param memFractionStatic   share of RAM for weights + KV pool ({@code --mem-fraction-static}; 0 = unset)
 * @param weightBytes         bytes of the weight files, which {@code memFractionStatic} subtracts (0 when unset)
 * @param eosTokenIds         ids that end a sequence unless the request ignores EOS
 */
public record EngineConfig(int threads, int maxNumSeqs, int maxNumBatchedTokens, int maxWaiting, int contextLength,
                           int blockSizeTokens, int kvCacheTokens, int kvCacheBlocks, double memFractionStatic,
                           long weightBytes, int[] eosTokenIds) {
    /** What the KV pool takes when no size is given: 4 GiB, as vLLM's CPU backend does by default. */
    public static final long DEFAULT_KV_BYTES = 4L << 30;

    public EngineConfig {
        // The order of the checks is the order in which the CLI reported them before the config existed.
        if (kvCacheBlocks < 0) {
            throw EngineException.badInput("--kv-cache-blocks must be >= 0, got " + kvCacheBlocks);
        }
        if (!(memFractionStatic >= 0 && memFractionStatic <= 1)) {
            throw EngineException.badInput("--mem-fraction-static must be in (0, 1], got " + memFractionStatic);
        }
        atLeast("--kv-cache-block-size", blockSizeTokens, 1);
        atLeast("--threads", threads, 0);
        atLeast("--max-num-seqs", maxNumSeqs, 1);
        atLeast("--max-num-batched-tokens", maxNumBatchedTokens, 1);
        atLeast("--max-waiting", maxWaiting, 1);
        atLeast("--context-length", contextLength, 0);
        atLeast("KV cache tokens", kvCacheTokens, 0);
        if (weightBytes < 0) {
            throw EngineException.badInput("weight bytes must be >= 0, got " + weightBytes);
        }
        eosTokenIds = eosTokenIds == null ? new int[0] : eosTokenIds.clone();
    }

    /** Settings with the KV pool sized in tokens (0 = the default budget), as tests and embedders give them. */
    public EngineConfig(int threads, int maxNumSeqs, int maxNumBatchedTokens, int maxWaiting, int contextLength,
                        int blockSizeTokens, int kvCacheTokens, int[] eosTokenIds) {
        this(threads, maxNumSeqs, maxNumBatchedTokens, maxWaiting, contextLength, blockSizeTokens, kvCacheTokens,
                0, 0, 0, eosTokenIds);
    }

    public static EngineConfig defaults() {
        return new EngineConfig(0, 64, 512, 1024, 0, 16, 0, null);
    }

    public EngineConfig withThreads(int n) {
        return new EngineConfig(n, maxNumSeqs, maxNumBatchedTokens, maxWaiting, contextLength, blockSizeTokens,
                kvCacheTokens, kvCacheBlocks, memFractionStatic, weightBytes, eosTokenIds);
    }

    public EngineConfig withKvCacheTokens(int tokens) {
        return new EngineConfig(threads, maxNumSeqs, maxNumBatchedTokens, maxWaiting, contextLength, blockSizeTokens,
                tokens, kvCacheBlocks, memFractionStatic, weightBytes, eosTokenIds);
    }

    public EngineConfig withEos(int... ids) {
        return new EngineConfig(threads, maxNumSeqs, maxNumBatchedTokens, maxWaiting, contextLength, blockSizeTokens,
                kvCacheTokens, kvCacheBlocks, memFractionStatic, weightBytes, ids);
    }

    @Override
    public int[] eosTokenIds() {
        return eosTokenIds.clone();
    }

    public int resolvedThreads() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }

    /**
     * The values that follow from these settings for {@code model}.
     *
     * @param contextLength   the longest sequence served: the setting, capped by the model's own
     * @param kvBlocks        blocks in the KV pool
     * @param blockSizeTokens tokens per KV block
     * @param threads         compute threads
     */
    public record Concluded(int contextLength, int kvBlocks, int blockSizeTokens, int threads) {
        public Concluded {
            if (contextLength < 1 || kvBlocks < 1 || blockSizeTokens < 1 || threads < 1) {
                throw EngineException.internal("concluded engine settings out of range: context " + contextLength
                        + ", " + kvBlocks + " KV blocks of " + blockSizeTokens + " tokens, " + threads + " threads",
                        null);
            }
        }

        /** Tokens the KV pool holds. */
        public long kvTokens() {
            return (long) kvBlocks * blockSizeTokens;
        }
    }

    /**
     * Computes, once, what the engine runs with for {@code model}; a bad-input EngineException when
     * the KV budget holds no block.
     */
    public Concluded conclude(ModelConfig model) {
        return conclude(model, totalRamBytes());
    }

    /** {@link #conclude(ModelConfig)} for a machine of {@code ramBytes} of RAM. */
    Concluded conclude(ModelConfig model, long ramBytes) {
        int ctx = contextLength(contextLength, model);
        return new Concluded(ctx, kvBlocks(model, ctx, ramBytes), blockSizeTokens, resolvedThreads());
    }

    /** The context length served when {@code requested} (0 = the model's own) is asked of {@code model}. */
    public static int contextLength(int requested, ModelConfig model) {
        return requested == 0 ? model.contextLength() : Math.min(requested, model.contextLength());
    }

    /** How many KV blocks of {@code blockSizeTokens} fit in {@code budgetBytes} for {@code model} (0 when none). */
    public static int kvBlocksForBudget(long budgetBytes, ModelConfig model, int blockSizeTokens) {
        return KvCacheConfig.blocksForBudget(budgetBytes, model.layers(), model.kvHeads(), model.headDim(),
                blockSizeTokens);
    }

    /** Bytes of one KV block of {@code blockSizeTokens} for {@code model} (keys and values of every layer). */
    public static long kvBytesPerBlock(ModelConfig model, int blockSizeTokens) {
        return new KvCacheConfig(model.layers(), model.kvHeads(), model.headDim(), blockSizeTokens, 1).bytesPerBlock();
    }

    /** Which setting decided the KV pool's size for {@code model}, in words for the start-up line. */
    public String kvPoolReason(ModelConfig model) {
        if (kvCacheTokens > 0) {
            return kvCacheTokens + " tokens asked";
        }
        if (kvCacheBlocks > 0) {
            return "--kv-cache-blocks";
        }
        if (memFractionStatic > 0) {
            return String.format(Locale.ROOT, "--mem-fraction-static %.2f less the weights", memFractionStatic);
        }
        int ctx = contextLength(contextLength, model);
        long wanted = (long) maxNumSeqs * ctx;
        long budgetTokens = (long) kvBlocksForBudget(DEFAULT_KV_BYTES, model, blockSizeTokens) * blockSizeTokens;
        return wanted <= budgetTokens ? maxNumSeqs + " sequences x " + ctx + " tokens"
                : (DEFAULT_KV_BYTES >> 30) + " GiB default budget";
    }

    private int kvBlocks(ModelConfig model, int ctx, long ramBytes) {
        int bs = blockSizeTokens;
        if (kvCacheTokens > 0) {
            return (int) (((long) kvCacheTokens + bs - 1) / bs);
        }
        if (kvCacheBlocks > 0) {
            return kvCacheBlocks;
        }
        long wanted = ((long) maxNumSeqs * ctx + bs - 1) / bs;
        long budget;
        if (memFractionStatic > 0) {
            budget = (long) (ramBytes * memFractionStatic) - weightBytes;
            if (budget <= 0) {
                throw EngineException.badInput(String.format(Locale.ROOT,
                        "--mem-fraction-static %.2f gives %.1f GiB, which the weights (%.1f GiB) already fill; raise it",
                        memFractionStatic, ramBytes * memFractionStatic / (1 << 30), weightBytes / (double) (1 << 30)));
            }
        } else {
            budget = DEFAULT_KV_BYTES;
        }
        int fit = kvBlocksForBudget(budget, model, bs);
        if (fit == 0) {
            throw EngineException.badInput("the KV cache budget of " + (budget >> 20) + " MiB holds no block of "
                    + bs + " tokens for this model");
        }
        // Without an explicit fraction, take no more than the sequences can use.
        return memFractionStatic > 0 ? fit : (int) Math.min(fit, Math.max(1, wanted));
    }

    private static long totalRamBytes() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
    }

    private static void atLeast(String name, int value, int min) {
        if (value < min) {
            throw EngineException.badInput(name + " must be >= " + min + ", got " + value);
        }
    }
}
