package io.jynamo.engine.kv;

/** The preallocated off-heap pool of KV blocks. */
public final class KvCache implements AutoCloseable {
    public KvCache(KvCacheConfig config) {
        throw new UnsupportedOperationException("SKELETON: implemented by the attention helper");
    }

    public KvCacheConfig config() { throw new UnsupportedOperationException("SKELETON"); }

    public int freeBlocks() { throw new UnsupportedOperationException("SKELETON"); }

    /** Takes a free block; an UNAVAILABLE EngineException when none is left. */
    public int allocateBlock() { throw new UnsupportedOperationException("SKELETON"); }

    public void freeBlock(int block) { throw new UnsupportedOperationException("SKELETON"); }

    /**
     * Stores K and V of the token at position {@code pos} of the sequence that owns {@code table},
     * for one layer; k and v hold kvHeads * headDim floats each, rounded to f16 on the way in.
     */
    public void store(int layer, BlockTable table, int pos, float[] k, int kOff, float[] v, int vOff) {
        throw new UnsupportedOperationException("SKELETON");
    }

    @Override
    public void close() {}
}
