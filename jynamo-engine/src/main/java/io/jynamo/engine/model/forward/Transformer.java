package io.jynamo.engine.model.forward;

import io.jynamo.engine.ModelConfig;
import io.jynamo.engine.backend.Backend;
import io.jynamo.engine.backend.CpuBackend;
import io.jynamo.engine.kernel.Rope;
import io.jynamo.engine.kv.BlockStore;
import io.jynamo.engine.kv.BlockTable;
import io.jynamo.engine.model.LayerWeights;
import io.jynamo.engine.model.ModelWeights;
import io.jynamo.engine.parallel.Collectives;
import io.jynamo.engine.parallel.SingleRankCollectives;
import io.jynamo.engine.parallel.WorkerPool;

/**
 * The decoder forward pass shared by Llama, Mistral and Qwen2/3, written once against a
 * {@link Backend}: a batch of tokens goes through every layer, each token writing its keys and
 * values into the paged block store and reading its sequence's earlier ones through that sequence's
 * block table. A batch may mix tokens of many sequences (continuous batching): every weight is read
 * once for all of them. The two row-parallel matmuls of a layer (attention output, down projection)
 * are summed over the engine's ranks through {@link Collectives}. Buffers are allocated once, for
 * the largest batch.
 */
public final class Transformer {
    private final ModelConfig c;
    private final ModelWeights w;
    private final Backend be;
    private final Collectives ranks;
    private final Rope rope;
    private final int maxBatch;
    private final Buffers b;
    private final float attnScale;
    private final int maxPositions;
    /** The per-token arrays of a single-sequence call, reused. */
    private final SingleSequence one;

    /** A single-rank forward pass on the CPU backend over {@code pool}'s threads. */
    public Transformer(ModelConfig config, ModelWeights weights, WorkerPool pool, int maxBatchTokens, int maxPositions) {
        this(config, weights, new CpuBackend(pool, maxBatchTokens, widestInput(config)),
                SingleRankCollectives.INSTANCE, maxBatchTokens, maxPositions);
    }

    public Transformer(ModelConfig config, ModelWeights weights, Backend backend, Collectives collectives,
                       int maxBatchTokens, int maxPositions) {
        this.c = config;
        this.w = weights;
        this.be = backend;
        this.ranks = collectives;
        this.maxBatch = maxBatchTokens;
        this.rope = new Rope(config.headDim(), maxPositions, config.ropeTheta(), config.ropeFreqFactors());
        this.b = new Buffers(config, maxBatchTokens);
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

    /** The widest row a matmul of this model reads (what a backend's rounded-input buffer holds per token). */
    public static int widestInput(ModelConfig config) {
        return Buffers.widest(config);
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
    public void forward(int[] tokens, int off, int n, int startPos, BlockStore cache, BlockTable table, float[] logits) {
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
    public void forward(int n, int[] tokens, int[] positions, BlockTable[] tables, BlockStore cache,
                        int nLogits, int[] logitRows, float[] logits) {
        checkBatch(n);
        be.embed(w.tokenEmbedding(), tokens, n, b.x);                       // x: (n, dim)
        for (int l = 0; l < c.layers(); l++) {
            attention(l, w.layers().get(l), n, positions, tables, cache);
            feedForward(w.layers().get(l), n);
        }
        if (nLogits > 0) {
            be.rmsnormRows(b.xb, b.x, logitRows, nLogits, w.outputNorm(), c.dim(), c.normEps());
            be.matmul(w.output(), b.xb, nLogits, logits);                   // logits: (nLogits, vocab)
        }
    }

    private void checkBatch(int n) {
        if (n < 1 || n > maxBatch) {
            throw new IllegalArgumentException("batch of " + n + " tokens, limit " + maxBatch);
        }
    }

    private void attention(int layer, LayerWeights lw, int n, int[] positions, BlockTable[] tables, BlockStore cache) {
        int qDim = c.qDim();
        int kvDim = c.kvDim();
        be.rmsnorm(b.xb, b.x, lw.attnNorm(), n, c.dim(), c.normEps());       // xb: (n, dim)
        be.matmul(lw.wq(), b.xb, n, b.q);                                    // q: (n, heads * headDim)
        be.matmulSameInput(lw.wk(), b.xb, n, b.k);                           // k: (n, kvHeads * headDim)
        be.matmulSameInput(lw.wv(), b.xb, n, b.v);                           // v: (n, kvHeads * headDim)
        if (lw.bq() != null) {
            be.addBias(b.q, lw.bq(), n, qDim);
            be.addBias(b.k, lw.bk(), n, kvDim);
            be.addBias(b.v, lw.bv(), n, kvDim);
        }
        if (lw.qNorm() != null) {
            // Qwen3's per-head RMSNorm: the heads of all rows are (n * heads, headDim) contiguous rows.
            be.rmsnorm(b.q, b.q, lw.qNorm(), n * c.heads(), c.headDim(), c.normEps());
            be.rmsnorm(b.k, b.k, lw.kNorm(), n * c.kvHeads(), c.headDim(), c.normEps());
        }
        be.rope(rope, b.q, n, c.heads(), positions, c.ropeStyle());
        be.rope(rope, b.k, n, c.kvHeads(), positions, c.ropeStyle());
        be.storeKv(cache, layer, tables, positions, n, b.k, b.v);
        be.attention(cache, layer, tables, positions, n, b.q, b.att, c.heads(), attnScale, maxPositions);
        be.matmul(lw.wo(), b.att, n, b.tmp);                                 // tmp: (n, dim)
        ranks.allReduceSum(b.tmp, 0, n * c.dim());
        be.add(b.x, b.tmp, n, c.dim());
    }

    private void feedForward(LayerWeights lw, int n) {
        int dim = c.dim();
        int ffn = c.ffnDim();
        be.rmsnorm(b.xb, b.x, lw.ffnNorm(), n, dim, c.normEps());
        be.matmul(lw.wGate(), b.xb, n, b.gate);                              // gate: (n, ffn)
        be.matmulSameInput(lw.wUp(), b.xb, n, b.up);                         // up: (n, ffn)
        be.siluMul(b.gate, b.up, n, ffn);
        be.matmul(lw.wDown(), b.gate, n, b.tmp);                             // tmp: (n, dim)
        ranks.allReduceSum(b.tmp, 0, n * dim);
        be.add(b.x, b.tmp, n, dim);
    }
}
