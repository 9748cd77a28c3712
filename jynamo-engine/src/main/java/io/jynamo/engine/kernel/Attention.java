package io.jynamo.engine.kernel;

import io.jynamo.engine.kv.BlockTable;
import io.jynamo.engine.kv.KvCache;

/** Causal attention of one query head over a sequence's cached keys and values. */
public final class Attention {
    private Attention() {}

    /**
     * out[outOff .. outOff+headDim) = softmax(scale * q·K[0..queryPos]) · V[0..queryPos] for query head
     * {@code head}, reading KV head {@code head / groupSize} of {@code layer} through {@code table}.
     * q is rounded to f16 and the probabilities to f16 before they meet the f16 cache, as llama.cpp
     * does. {@code scratch} holds at least queryPos + 1 floats.
     */
    public static void paged(KvCache cache, int layer, BlockTable table, float[] q, int qOff, int head,
                             int groupSize, int queryPos, float scale, float[] out, int outOff, float[] scratch) {
        throw new UnsupportedOperationException("SKELETON: implemented by the attention helper");
    }
}
