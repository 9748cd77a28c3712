package io.jynamo.engine.kv;

import io.jynamo.engine.EngineException;

/**
 * Geometry of the paged KV cache: a pool of {@code numBlocks} blocks, each holding K and V (f16) of
 * {@code blockSizeTokens} tokens for every layer and KV head.
 */
public record KvCacheConfig(int layers, int kvHeads, int headDim, int blockSizeTokens, int numBlocks) {
    /** Bytes of one f16 value. */
    static final int F16_BYTES = 2;

    public KvCacheConfig {
        requirePositive("layers", layers);
        requirePositive("kvHeads", kvHeads);
        requirePositive("headDim", headDim);
        requirePositive("blockSizeTokens", blockSizeTokens);
        requirePositive("numBlocks", numBlocks);
        long perBlock = bytesPerBlockOrNegative(layers, kvHeads, headDim, blockSizeTokens);
        if (perBlock < 0 || Long.MAX_VALUE / perBlock < numBlocks) {
            throw EngineException.badInput("KV cache of " + numBlocks + " blocks of " + blockSizeTokens
                    + " tokens x " + layers + " layers x " + kvHeads + " KV heads x " + headDim
                    + " dims does not fit in a 64-bit byte count");
        }
    }

    /** Bytes one block takes (K and V, all layers, f16). */
    public long bytesPerBlock() {
        return bytesPerBlockOrNegative(layers, kvHeads, headDim, blockSizeTokens);
    }

    /** Bytes of the whole pool. */
    public long totalBytes() {
        return bytesPerBlock() * numBlocks;
    }

    /** Bytes of the keys (or the values) of one KV head of one layer in one block. */
    public long bytesPerHeadBlock() {
        return (long) blockSizeTokens * headDim * F16_BYTES;
    }

    /** How many blocks fit in {@code budgetBytes}. */
    public static int blocksForBudget(long budgetBytes, int layers, int kvHeads, int headDim, int blockSizeTokens) {
        requirePositive("layers", layers);
        requirePositive("kvHeads", kvHeads);
        requirePositive("headDim", headDim);
        requirePositive("blockSizeTokens", blockSizeTokens);
        long perBlock = bytesPerBlockOrNegative(layers, kvHeads, headDim, blockSizeTokens);
        if (perBlock < 0 || budgetBytes <= 0) {
            return 0;
        }
        return (int) Math.min(Integer.MAX_VALUE, budgetBytes / perBlock);
    }

    /** 2 (K and V) * layers * blockSize * kvHeads * headDim * 2 bytes, or -1 when that overflows a long. */
    private static long bytesPerBlockOrNegative(int layers, int kvHeads, int headDim, int blockSizeTokens) {
        try {
            long perLayer = Math.multiplyExact(Math.multiplyExact((long) kvHeads * headDim, blockSizeTokens),
                    2L * F16_BYTES);
            return Math.multiplyExact(perLayer, layers);
        } catch (ArithmeticException overflow) {
            return -1;
        }
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw EngineException.badInput("KV cache " + name + " must be positive, got " + value);
        }
    }
}
