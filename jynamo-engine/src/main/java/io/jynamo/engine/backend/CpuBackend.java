package io.jynamo.engine.backend;

import io.jynamo.engine.kernel.Attention;
import io.jynamo.engine.kernel.Kernels;
import io.jynamo.engine.kernel.Rope;
import io.jynamo.engine.kv.BlockStore;
import io.jynamo.engine.kv.BlockTable;
import io.jynamo.engine.kv.KvCache;
import io.jynamo.engine.kv.KvCacheConfig;
import io.jynamo.engine.parallel.WorkerPool;
import io.jynamo.engine.tensor.WeightMatrix;

/**
 * The CPU backend: the Vector API kernels of {@code io.jynamo.engine.kernel} and the weight formats'
 * matmuls, with matmuls and attention split among a {@link WorkerPool}'s threads (the element-wise
 * kernels run on the calling thread, where they cost less than a hand-off). Its block store is a
 * {@link KvCache} in host memory. Buffers are allocated once, for the largest batch; the pool stays
 * the caller's.
 */
public final class CpuBackend implements Backend {
    private final WorkerPool pool;
    private final MatmulRunner mm;
    /** Attention scratch per compute thread, sized for the longest sequence. */
    private final ThreadLocal<float[]> scratch = new ThreadLocal<>();

    /**
     * @param maxRows  most rows (tokens) of one call
     * @param maxWidth widest matmul input row
     */
    public CpuBackend(WorkerPool pool, int maxRows, int maxWidth) {
        this.pool = pool;
        this.mm = new MatmulRunner(pool, Math.multiplyExact(maxRows, maxWidth));
    }

    @Override
    public void embed(WeightMatrix table, int[] tokens, int n, float[] out) {
        int width = table.cols();
        for (int t = 0; t < n; t++) {
            table.dequantizeRow(tokens[t], out, t * width);
        }
    }

    @Override
    public void rmsnorm(float[] out, float[] in, float[] weight, int rows, int width, float eps) {
        for (int t = 0; t < rows; t++) {
            Kernels.rmsnorm(out, t * width, in, t * width, weight, 0, width, eps);
        }
    }

    @Override
    public void rmsnormRows(float[] out, float[] in, int[] rowIndex, int n, float[] weight, int width, float eps) {
        for (int i = 0; i < n; i++) {
            Kernels.rmsnorm(out, i * width, in, rowIndex[i] * width, weight, 0, width, eps);
        }
    }

    @Override
    public void matmul(WeightMatrix m, float[] in, int n, float[] out) {
        mm.run(m, in, n, out);
    }

    @Override
    public void matmulSameInput(WeightMatrix m, float[] in, int n, float[] out) {
        mm.runSameInput(m, in, n, out);
    }

    @Override
    public void add(float[] dst, float[] src, int rows, int width) {
        for (int t = 0; t < rows; t++) {
            Kernels.add(dst, t * width, src, t * width, width);
        }
    }

    @Override
    public void addBias(float[] x, float[] bias, int rows, int width) {
        for (int t = 0; t < rows; t++) {
            Kernels.add(x, t * width, bias, 0, width);
        }
    }

    @Override
    public void siluMul(float[] gate, float[] up, int rows, int width) {
        for (int t = 0; t < rows; t++) {
            Kernels.siluMul(gate, t * width, up, t * width, width);
        }
    }

    @Override
    public void rope(Rope rope, float[] x, int rows, int nHeads, int[] positions, Rope.Style style) {
        int width = nHeads * rope.headDim();
        for (int t = 0; t < rows; t++) {
            rope.apply(x, t * width, nHeads, positions[t], style);
        }
    }

    @Override
    public void storeKv(BlockStore store, int layer, BlockTable[] tables, int[] positions, int n, float[] k,
                        float[] v) {
        KvCache cache = (KvCache) store;
        int kvDim = cache.config().kvHeads() * cache.config().headDim();
        for (int t = 0; t < n; t++) {
            cache.store(layer, tables[t], positions[t], k, t * kvDim, v, t * kvDim);
        }
    }

    @Override
    public void attention(BlockStore store, int layer, BlockTable[] tables, int[] positions, int n, float[] q,
                          float[] out, int heads, float scale, int maxPositions) {
        KvCache cache = (KvCache) store;
        KvCacheConfig kc = cache.config();
        int kvHeads = kc.kvHeads();
        int group = heads / kvHeads;
        int qDim = heads * kc.headDim();
        int groupWidth = group * kc.headDim();
        // One unit of work: the query heads of one KV head for one token, so each block is decoded once.
        pool.parallelFor(n * kvHeads, 1, (from, to) -> {
            float[] s = scratch(kc, group, maxPositions);
            for (int u = from; u < to; u++) {
                int t = u / kvHeads;
                int kvh = u % kvHeads;
                int at = t * qDim + kvh * groupWidth;
                Attention.pagedGroup(cache, layer, tables[t], q, at, kvh, group, positions[t], scale, out, at, s);
            }
        });
    }

    private float[] scratch(KvCacheConfig kc, int group, int maxPositions) {
        float[] s = scratch.get();
        int need = Attention.scratchFloats(kc, group, maxPositions);
        if (s == null || s.length < need) {
            s = new float[need];
            scratch.set(s);
        }
        return s;
    }

    @Override
    public void close() {
        // The pool is the caller's; the buffers go with this object.
    }
}
