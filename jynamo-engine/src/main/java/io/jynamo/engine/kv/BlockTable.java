package io.jynamo.engine.kv;

import io.jynamo.engine.EngineException;
import java.util.Arrays;

/**
 * The blocks of one sequence, in order: token at position p lives in block(p / blockSize).
 * Block ids are plain ints owned by this table until {@link #release}; sharing blocks between
 * sequences (prefix reuse, reference counts) is left to a later layer above the cache.
 * Not thread-safe: the thread that schedules the sequence owns its table.
 */
public final class BlockTable {
    private int[] blocks = new int[4];
    private int count;

    public int blockCount() { return count; }

    public int block(int index) {
        if (index < 0 || index >= count) {
            throw EngineException.internal("block index " + index + " is outside the table's " + count + " blocks", null);
        }
        return blocks[index];
    }

    /** Tokens the table's blocks can hold. */
    public int capacityTokens(KvCache cache) {
        return count * cache.config().blockSizeTokens();
    }

    /**
     * Allocates blocks from {@code cache} until {@code tokens} positions fit. All or nothing: when
     * the cache has too few free blocks it throws (UNAVAILABLE) and the table is unchanged.
     */
    public void ensureCapacity(KvCache cache, int tokens) {
        if (tokens < 0) {
            throw EngineException.internal("cannot reserve a negative token count " + tokens, null);
        }
        int blockSize = cache.config().blockSizeTokens();
        int needed = (int) (((long) tokens + blockSize - 1) / blockSize) - count;
        if (needed <= 0) {
            return;
        }
        synchronized (cache) {
            if (cache.freeBlocks() < needed) {
                throw cache.fullError();
            }
            if (count + needed > blocks.length) {
                blocks = Arrays.copyOf(blocks, Math.max(count + needed, blocks.length * 2));
            }
            for (int i = 0; i < needed; i++) {
                blocks[count++] = cache.allocateBlock();
            }
        }
    }

    /** Returns every block to {@code cache}. */
    public void release(KvCache cache) {
        for (int i = count - 1; i >= 0; i--) {
            cache.freeBlock(blocks[i]);
        }
        count = 0;
    }

    /** Appends a block the caller took from elsewhere (a {@link BlockManager}); the caller frees it. */
    public void add(int block) {
        if (count == blocks.length) {
            blocks = Arrays.copyOf(blocks, blocks.length * 2);
        }
        blocks[count++] = block;
    }

    /** Forgets every block without freeing any: for tables filled with {@link #add}. */
    public void clear() {
        count = 0;
    }

    /** A copy of the block ids, in order. */
    public int[] toArray() {
        return Arrays.copyOf(blocks, count);
    }
}
