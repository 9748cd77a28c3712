package io.jynamo.engine.kernel;

import io.jynamo.engine.EngineException;
import io.jynamo.engine.kv.BlockTable;
import io.jynamo.engine.kv.KvCache;
import io.jynamo.engine.kv.KvCacheConfig;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Causal attention of query heads over a sequence's cached keys and values, with the numerics of
 * llama.cpp's CPU path without flash attention: q and the probabilities are rounded to f16 (its
 * matmuls convert their f32 operand to the f16 cache's type), every dot product and the weighted
 * sum of values are accumulated in float, the softmax is {@link Kernels#softmax}. The result does
 * not depend on the block size or on whether heads are computed one by one or by group.
 */
public final class Attention {
    private Attention() {}

    /**
     * out[outOff .. outOff+headDim) = softmax(scale * q·K[0..queryPos]) · V[0..queryPos] for query head
     * {@code head}, whose query is q[qOff .. qOff+headDim), reading KV head {@code head / groupSize} of
     * {@code layer} through {@code table}. q is rounded to f16 and the probabilities to f16 before
     * they meet the f16 cache, as llama.cpp does. {@code scratch} holds at least
     * {@link #scratchFloats scratchFloats(config, 1, queryPos + 1)} floats: the scores and one block
     * decoded to floats. out may be the same range as q (it holds the rounded q until the values
     * overwrite it) but must not overlap it otherwise. Allocates nothing. When several query heads
     * share a KV head, {@link #pagedGroup} does their work in less time.
     */
    public static void paged(KvCache cache, int layer, BlockTable table, float[] q, int qOff, int head,
                             int groupSize, int queryPos, float scale, float[] out, int outOff, float[] scratch) {
        if (groupSize <= 0 || head < 0) {
            throw EngineException.internal("query head " + head + " with group size " + groupSize + " is invalid", null);
        }
        run(cache, layer, table, q, qOff, head / groupSize, 1, queryPos, scale, out, outOff, scratch);
    }

    /**
     * {@link #paged} for all {@code groupSize} query heads of KV head {@code kvHead} at once (heads
     * kvHead * groupSize ..), each block decoded once for the group. Query g is q[qOff + g * headDim ..],
     * its output out[outOff + g * headDim ..]; out may be the same range as q. {@code scratch} holds
     * at least {@link #scratchFloats scratchFloats(config, groupSize, queryPos + 1)} floats. Results
     * are bit-identical to {@link #paged} head by head.
     */
    public static void pagedGroup(KvCache cache, int layer, BlockTable table, float[] q, int qOff, int kvHead,
                                  int groupSize, int queryPos, float scale, float[] out, int outOff, float[] scratch) {
        if (groupSize <= 0) {
            throw EngineException.internal("attention group size " + groupSize + " is not positive", null);
        }
        run(cache, layer, table, q, qOff, kvHead, groupSize, queryPos, scale, out, outOff, scratch);
    }

    /** Floats of scratch that attention of {@code heads} query heads over {@code positions} keys needs. */
    public static int scratchFloats(KvCacheConfig config, int heads, int positions) {
        return heads * positions + config.blockSizeTokens() * config.headDim();
    }

    /** Scratch: [heads][n] scores, then one block of keys or values decoded to floats. */
    private static void run(KvCache cache, int layer, BlockTable table, float[] q, int qOff, int kvHead, int heads,
                            int queryPos, float scale, float[] out, int outOff, float[] scratch) {
        KvCacheConfig c = cache.config();
        int n = queryPos + 1;
        check(c, layer, table, kvHead, queryPos, scratch, scratchFloats(c, heads, n));
        int headDim = c.headDim();
        int blockSize = c.blockSizeTokens();
        int buf = heads * n;
        MemorySegment mem = cache.memory();
        Half.round(q, qOff, out, outOff, heads * headDim);
        for (int b = 0, j = 0; j < n; b++, j += blockSize) {
            AttentionLoops.decode(mem, cache.keyOffset(table.block(b), layer, kvHead), blockSize * headDim, scratch, buf);
            for (int g = 0; g < heads; g += 4) {
                AttentionLoops.scores(scratch, buf, blockSize, headDim, out, outOff + g * headDim, Math.min(4, heads - g),
                        Math.min(blockSize, n - j), scale, scratch, g * n + j, n);
            }
        }
        for (int g = 0; g < heads; g++) {
            Kernels.softmax(scratch, g * n, n);
            Half.round(scratch, g * n, scratch, g * n, n);
        }
        Arrays.fill(out, outOff, outOff + heads * headDim, 0f);
        for (int b = 0, j = 0; j < n; b++, j += blockSize) {
            int slots = Math.min(blockSize, n - j);
            AttentionLoops.decode(mem, cache.valueOffset(table.block(b), layer, kvHead), slots * headDim, scratch, buf);
            for (int g = 0; g < heads; g += 4) {
                AttentionLoops.values(scratch, buf, headDim, scratch, g * n + j, n, Math.min(4, heads - g), slots,
                        out, outOff + g * headDim);
            }
        }
    }

    /**
     * The reference: the same attention over contiguous K[pos][kvHeads][headDim] and V likewise
     * (values rounded to f16 on read, as the cache would store them), plain loops summed in order.
     */
    public static void contiguousScalar(float[] k, float[] v, int kvHeads, int headDim, float[] q, int qOff,
                                        int head, int groupSize, int queryPos, float scale, float[] out, int outOff) {
        int kvHead = head / groupSize;
        int n = queryPos + 1;
        float[] qh = new float[headDim];
        Half.round(q, qOff, qh, 0, headDim);
        float[] p = new float[n];
        for (int j = 0; j < n; j++) {
            int row = (j * kvHeads + kvHead) * headDim;
            float dot = 0;
            for (int d = 0; d < headDim; d++) {
                dot += qh[d] * Half.round(k[row + d]);
            }
            p[j] = dot * scale;
        }
        Kernels.softmaxScalar(p, 0, n);
        Half.round(p, 0, p, 0, n);
        for (int d = 0; d < headDim; d++) {
            float sum = 0;
            for (int j = 0; j < n; j++) {
                sum += p[j] * Half.round(v[(j * kvHeads + kvHead) * headDim + d]);
            }
            out[outOff + d] = sum;
        }
    }

    private static void check(KvCacheConfig c, int layer, BlockTable table, int kvHead, int queryPos,
                              float[] scratch, int scratchNeeded) {
        if (layer < 0 || layer >= c.layers()) {
            throw EngineException.internal("attention layer " + layer + " is outside [0, " + c.layers() + ")", null);
        }
        if (kvHead < 0 || kvHead >= c.kvHeads()) {
            throw EngineException.internal("KV head " + kvHead + " is outside [0, " + c.kvHeads() + ")", null);
        }
        if (queryPos < 0 || queryPos >= (long) table.blockCount() * c.blockSizeTokens()) {
            throw EngineException.internal("query position " + queryPos + " is outside the sequence's "
                    + table.blockCount() + " blocks of " + c.blockSizeTokens() + " tokens", null);
        }
        if (scratch.length < scratchNeeded) {
            throw EngineException.internal("attention scratch of " + scratch.length + " floats is smaller than the "
                    + scratchNeeded + " needed at position " + queryPos, null);
        }
    }
}
