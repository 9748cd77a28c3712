package io.jynamo.engine.model.forward;

import io.jynamo.engine.kernel.Attention;
import io.jynamo.engine.kernel.Kernels;
import io.jynamo.engine.kernel.Rope;
import io.jynamo.engine.kv.BlockTable;
import io.jynamo.engine.kv.KvCache;
import io.jynamo.engine.model.LayerWeights;
import io.jynamo.engine.ModelConfig;
import io.jynamo.engine.model.ModelWeights;
import io.jynamo.engine.parallel.WorkerPool;
import io.jynamo.engine.tensor.WeightMatrix;

/**
 * The decoder forward pass shared by Llama, Mistral and Qwen2/3: a batch of tokens goes through every
 * layer, each token writing its keys and values into the paged cache and reading its sequence's
 * earlier ones through that sequence's block table. A batch may mix tokens of many sequences
 * (continuous batching): every weight is read once for all of them. Buffers are allocated once, for the largest batch.
 */
public final class Transformer {
    private final ModelConfig c;
    private final ModelWeights w;
    private final WorkerPool pool;
    private final Rope rope;
    private final int maxBatch;
    private final Buffers b;
    private final MatmulRunner mm;
    private final float attnScale;
    private final int maxPositions;
    /** Attention scratch per compute thread, sized for the longest sequence. */
    private final ThreadLocal<float[]> scratch = new ThreadLocal<>();
    /** The per-token arrays of a single-sequence call, reused. */
    private final SingleSequence one;

    public Transformer(ModelConfig config, ModelWeights weights, WorkerPool pool, int maxBatchTokens, int maxPositions) {
        this.c = config;
        this.w = weights;
        this.pool = pool;
        this.maxBatch = maxBatchTokens;
        this.rope = new Rope(config.headDim(), maxPositions, config.ropeTheta(), config.ropeFreqFactors());
        this.b = new Buffers(config, maxBatchTokens);
        this.mm = new MatmulRunner(pool, b);
        this.attnScale = (float) (1.0 / Math.sqrt(config.headDim()));
        this.maxPositions = maxPositions;
        this.one = new SingleSequence(maxBatchTokens);
    }

    private static final class SingleSequence {
        final int[] tokens;
        final int[] positions;
        final BlockTable[] tables;
        final int[] logitRows = new int[1];

        SingleSequence(int n) {
            tokens = new int[n];
            positions = new int[n];
            tables = new BlockTable[n];
        }
    }

    public ModelConfig config() {
        return c;
    }

    public int maxBatchTokens() {
        return maxBatch;
    }

    /**
     * Runs {@code n} consecutive tokens of one sequence, {@code tokens[off ..]}, at positions
     * {@code startPos ..}; {@code table} must already hold blocks for startPos + n positions. Writes
     * the last token's logits into {@code logits} (vocabSize floats) unless it is null.
     */
    public void forward(int[] tokens, int off, int n, int startPos, KvCache cache, BlockTable table, float[] logits) {
        checkBatch(n);
        for (int t = 0; t < n; t++) {
            one.tokens[t] = tokens[off + t];
            one.positions[t] = startPos + t;
            one.tables[t] = table;
        }
        one.logitRows[0] = n - 1;
        forward(n, one.tokens, one.positions, one.tables, cache, logits == null ? 0 : 1, one.logitRows, logits);
    }

    /**
     * Runs a step's batch: token t is {@code tokens[t]} at position {@code positions[t]} of the
     * sequence whose blocks are {@code tables[t]} (tables must already hold that position). Tokens of
     * several sequences mix freely; each weight is read once for all of them. The logits of the
     * tokens {@code logitRows[0 .. nLogits)} go to {@code logits}, vocabSize floats each, in that order.
     * A token's results are the same bits whatever else is in the batch.
     */
    public void forward(int n, int[] tokens, int[] positions, BlockTable[] tables, KvCache cache,
                        int nLogits, int[] logitRows, float[] logits) {
        checkBatch(n);
        int dim = c.dim();
        for (int t = 0; t < n; t++) {
            w.tokenEmbedding().dequantizeRow(tokens[t], b.x, t * dim);
        }
        for (int l = 0; l < c.layers(); l++) {
            attention(l, w.layers().get(l), n, positions, tables, cache);
            feedForward(w.layers().get(l), n);
        }
        for (int i = 0; i < nLogits; i++) {
            Kernels.rmsnorm(b.xb, i * dim, b.x, logitRows[i] * dim, w.outputNorm(), 0, dim, c.normEps());
        }
        if (nLogits > 0) {
            mm.run(w.output(), b.xb, nLogits, logits);
        }
    }

    private void checkBatch(int n) {
        if (n < 1 || n > maxBatch) {
            throw new IllegalArgumentException("batch of " + n + " tokens, limit " + maxBatch);
        }
    }

    private void attention(int layer, LayerWeights lw, int n, int[] positions, BlockTable[] tables, KvCache cache) {
        int dim = c.dim();
        int qDim = c.qDim();
        int kvDim = c.kvDim();
        normRows(b.x, b.xb, lw.attnNorm(), n, dim);
        mm.run(lw.wq(), b.xb, n, b.q);
        mm.runSameInput(lw.wk(), b.xb, n, b.k);
        mm.runSameInput(lw.wv(), b.xb, n, b.v);
        for (int t = 0; t < n; t++) {
            if (lw.bq() != null) {
                Kernels.add(b.q, t * qDim, lw.bq(), 0, qDim);
                Kernels.add(b.k, t * kvDim, lw.bk(), 0, kvDim);
                Kernels.add(b.v, t * kvDim, lw.bv(), 0, kvDim);
            }
            if (lw.qNorm() != null) {
                headNorm(b.q, t * qDim, lw.qNorm(), c.heads());
                headNorm(b.k, t * kvDim, lw.kNorm(), c.kvHeads());
            }
            rope.apply(b.q, t * qDim, c.heads(), positions[t], c.ropeStyle());
            rope.apply(b.k, t * kvDim, c.kvHeads(), positions[t], c.ropeStyle());
            cache.store(layer, tables[t], positions[t], b.k, t * kvDim, b.v, t * kvDim);
        }
        int kvHeads = c.kvHeads();
        int group = c.groupSize();
        int groupWidth = group * c.headDim();
        // One unit of work: the query heads of one KV head for one token, so each block is decoded once.
        pool.parallelFor(n * kvHeads, 1, (from, to) -> {
            float[] scratch = scratch(cache);
            for (int u = from; u < to; u++) {
                int t = u / kvHeads;
                int kvh = u % kvHeads;
                int at = t * qDim + kvh * groupWidth;
                Attention.pagedGroup(cache, layer, tables[t], b.q, at, kvh, group, positions[t], attnScale, b.att,
                        at, scratch);
            }
        });
        mm.run(lw.wo(), b.att, n, b.tmp);
        for (int t = 0; t < n; t++) {
            Kernels.add(b.x, t * dim, b.tmp, t * dim, dim);
        }
    }

    private float[] scratch(KvCache cache) {
        float[] s = scratch.get();
        int need = Attention.scratchFloats(cache.config(), c.groupSize(), maxPositions);
        if (s == null || s.length < need) {
            s = new float[need];
            scratch.set(s);
        }
        return s;
    }

    private void feedForward(LayerWeights lw, int n) {
        int dim = c.dim();
        int ffn = c.ffnDim();
        normRows(b.x, b.xb, lw.ffnNorm(), n, dim);
        mm.run(lw.wGate(), b.xb, n, b.gate);
        mm.runSameInput(lw.wUp(), b.xb, n, b.up);
        for (int t = 0; t < n; t++) {
            Kernels.siluMul(b.gate, t * ffn, b.up, t * ffn, ffn);
        }
        mm.run(lw.wDown(), b.gate, n, b.tmp);
        for (int t = 0; t < n; t++) {
            Kernels.add(b.x, t * dim, b.tmp, t * dim, dim);
        }
    }

    private void normRows(float[] in, float[] out, float[] weight, int n, int width) {
        for (int t = 0; t < n; t++) {
            Kernels.rmsnorm(out, t * width, in, t * width, weight, 0, width, c.normEps());
        }
    }

    /** Qwen3's per-head RMSNorm of q or k, in place. */
    private void headNorm(float[] x, int off, float[] weight, int nHeads) {
        int hd = c.headDim();
        for (int h = 0; h < nHeads; h++) {
            Kernels.rmsnorm(x, off + h * hd, x, off + h * hd, weight, 0, hd, c.normEps());
        }
    }

    /** Rows of {@code m} per parallel chunk: enough work to amortise the hand-off. */
    static int grain(WeightMatrix m) {
        return Math.max(1, 16384 / Math.max(1, m.cols()));
    }
}
