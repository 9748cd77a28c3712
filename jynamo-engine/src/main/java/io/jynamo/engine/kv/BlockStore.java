package io.jynamo.engine.kv;

import java.lang.foreign.MemorySegment;

/**
 * A rank's pool of KV blocks, in whatever memory its backend computes in (host memory for the CPU
 * backend, {@link KvCache}; device memory for a GPU one). It hands out block ids, takes them back,
 * and copies whole blocks out and in by id: one block (every layer's K and V of
 * {@link KvCacheConfig#blockSizeTokens()} tokens) is one run of {@link KvCacheConfig#bytesPerBlock()}
 * bytes in a layout every store of the same geometry shares, so KV transfer between workers and
 * offload to other tiers need nothing else from the engine.
 *
 * <p>Who writes a block's bytes is the owner's business: the step thread owns a serving engine's
 * store, so exports and imports of blocks in use run there (see {@code JynamoEngine}).
 */
public interface BlockStore extends AutoCloseable {
    /** The pool's geometry: layers, KV heads, head dimension, block size and block count. */
    KvCacheConfig config();

    int freeBlocks();

    int usedBlocks();

    /** Takes a free block; an UNAVAILABLE EngineException when none is left. */
    int allocateBlock();

    void freeBlock(int block);

    /** Copies block {@code block} into {@code dst[0 .. bytesPerBlock)}. */
    void exportBlock(int block, MemorySegment dst);

    /** Overwrites block {@code block} with {@code src[0 .. bytesPerBlock)}. */
    void importBlock(int block, MemorySegment src);

    /** Frees the pool; the store must not be used afterwards. */
    @Override
    void close();
}
