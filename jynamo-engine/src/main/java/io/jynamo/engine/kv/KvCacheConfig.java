package io.jynamo.engine.kv;

/**
 * Geometry of the paged KV cache: a pool of {@code numBlocks} blocks, each holding K and V (f16) of
 * {@code blockSizeTokens} tokens for every layer and KV head.
 */
public record KvCacheConfig(int layers, int kvHeads, int headDim, int blockSizeTokens, int numBlocks) {
    public KvCacheConfig {
        throw new UnsupportedOperationException("SKELETON: implemented by the attention helper");
    }

    /** Bytes one block takes (K and V, all layers, f16). */
    public long bytesPerBlock() {
        throw new UnsupportedOperationException("SKELETON");
    }

    /** How many blocks fit in {@code budgetBytes}. */
    public static int blocksForBudget(long budgetBytes, int layers, int kvHeads, int headDim, int blockSizeTokens) {
        throw new UnsupportedOperationException("SKELETON");
    }
}
