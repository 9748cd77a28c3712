package io.jynamo.engine;

/**
 * Settings of a serving engine.
 *
 * @param threads             compute threads (0 = all cores)
 * @param maxNumSeqs          most sequences running at once ({@code --max-num-seqs})
 * @param maxNumBatchedTokens most tokens in one step's forward pass ({@code --max-num-batched-tokens})
 * @param maxWaiting          most requests queued before submit refuses with UNAVAILABLE ({@code --max-waiting})
 * @param contextLength       longest sequence served (0 = the model's own)
 * @param blockSizeTokens     KV block size
 * @param kvCacheTokens       tokens the KV pool holds (0 = maxNumSeqs × context length, capped at 1M tokens)
 * @param eosTokenIds         ids that end a sequence unless the request ignores EOS
 */
public record EngineConfig(int threads, int maxNumSeqs, int maxNumBatchedTokens, int maxWaiting, int contextLength,
                           int blockSizeTokens, int kvCacheTokens, int[] eosTokenIds) {
    public EngineConfig {
        atLeast("--threads", threads, 0);
        atLeast("--max-num-seqs", maxNumSeqs, 1);
        atLeast("--max-num-batched-tokens", maxNumBatchedTokens, 1);
        atLeast("--max-waiting", maxWaiting, 1);
        atLeast("--context-length", contextLength, 0);
        atLeast("--kv-cache-block-size", blockSizeTokens, 1);
        atLeast("KV cache tokens", kvCacheTokens, 0);
        eosTokenIds = eosTokenIds == null ? new int[0] : eosTokenIds.clone();
    }

    public static EngineConfig defaults() {
        return new EngineConfig(0, 64, 512, 1024, 0, 16, 0, null);
    }

    public EngineConfig withThreads(int n) {
        return new EngineConfig(n, maxNumSeqs, maxNumBatchedTokens, maxWaiting, contextLength, blockSizeTokens,
                kvCacheTokens, eosTokenIds);
    }

    public EngineConfig withKvCacheTokens(int tokens) {
        return new EngineConfig(threads, maxNumSeqs, maxNumBatchedTokens, maxWaiting, contextLength, blockSizeTokens,
                tokens, eosTokenIds);
    }

    public EngineConfig withEos(int... ids) {
        return new EngineConfig(threads, maxNumSeqs, maxNumBatchedTokens, maxWaiting, contextLength, blockSizeTokens,
                kvCacheTokens, ids);
    }

    @Override
    public int[] eosTokenIds() {
        return eosTokenIds.clone();
    }

    public int resolvedThreads() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }

    private static void atLeast(String name, int value, int min) {
        if (value < min) {
            throw EngineException.badInput(name + " must be >= " + min + ", got " + value);
        }
    }
}
