package io.jynamo.engine.kv;

/** The blocks of one sequence, in order: token at position p lives in block(p / blockSize). */
public final class BlockTable {
    public int blockCount() { throw new UnsupportedOperationException("SKELETON"); }

    public int block(int index) { throw new UnsupportedOperationException("SKELETON"); }

    /** Allocates blocks from {@code cache} until {@code tokens} positions fit. */
    public void ensureCapacity(KvCache cache, int tokens) { throw new UnsupportedOperationException("SKELETON"); }

    /** Returns every block to {@code cache}. */
    public void release(KvCache cache) { throw new UnsupportedOperationException("SKELETON"); }
}
