package io.jynamo.engine.backend;

import io.jynamo.engine.kernel.Rope;
import io.jynamo.engine.kv.BlockStore;
import io.jynamo.engine.kv.BlockTable;
import io.jynamo.engine.tensor.WeightMatrix;

/**
 * The kernels of one device kind, each over a whole batch of rows, so that a device backend runs
 * one launch per operation where the CPU backend loops: the forward pass
 * ({@code io.jynamo.engine.model.forward.Transformer}) is written once against this interface.
 * Activations are row-major {@code [rows][width]} float arrays starting at index 0; the KV cache is
 * the backend's {@link BlockStore}. Every operation gives each row the same bits whatever the
 * other rows are (batch invariance), and the CPU backend gives llama.cpp's CPU numerics.
 *
 * <p>Today's arrays are host memory: a device backend will hold its activations in tensors of its
 * own and take these calls as handles to them. Implementations: {@link CpuBackend}. The forward
 * pass holds one backend in a final field, so each call site sees one implementation and the JIT
 * inlines it.
 */
public interface Backend extends AutoCloseable {
    /** out[t] = row tokens[t] of {@code table}, decoded to floats, for t &lt; n. */
    void embed(WeightMatrix table, int[] tokens, int n, float[] out);

    /** out[t] = rmsnorm(in[t]) * weight for t &lt; rows; out may be in (in place). */
    void rmsnorm(float[] out, float[] in, float[] weight, int rows, int width, float eps);

    /** out[i] = rmsnorm(in[rowIndex[i]]) * weight for i &lt; n: the rows that need logits. */
    void rmsnormRows(float[] out, float[] in, int[] rowIndex, int n, float[] weight, int width, float eps);

    /** out[t][r] = m.row(r) · in[t] for t &lt; n (the input rounded to m's activation format first). */
    void matmul(WeightMatrix m, float[] in, int n, float[] out);

    /**
     * {@link #matmul} for a matrix that reads the very input of the previous call (k and v after q,
     * up after gate), so a backend may reuse the rounded input.
     */
    void matmulSameInput(WeightMatrix m, float[] in, int n, float[] out);

    /** dst[t] += src[t] for t &lt; rows (the residual). */
    void add(float[] dst, float[] src, int rows, int width);

    /** x[t] += bias for t &lt; rows. */
    void addBias(float[] x, float[] bias, int rows, int width);

    /** gate[t] = silu(gate[t]) * up[t] for t &lt; rows. */
    void siluMul(float[] gate, float[] up, int rows, int width);

    /** Rotates the nHeads heads of row t of x for position positions[t], t &lt; rows. */
    void rope(Rope rope, float[] x, int rows, int nHeads, int[] positions, Rope.Style style);

    /** Writes row t of k and v ([kvHeads * headDim] each) into {@code layer} of tables[t] at positions[t]. */
    void storeKv(BlockStore store, int layer, BlockTable[] tables, int[] positions, int n, float[] k, float[] v);

    /**
     * Causal attention for n query rows: out[t] = attention of q[t] ({@code heads} heads) over the
     * keys and values of tables[t]'s sequence up to positions[t], in {@code layer}. {@code maxPositions}
     * bounds every position (it sizes scratch space).
     */
    void attention(BlockStore store, int layer, BlockTable[] tables, int[] positions, int n, float[] q, float[] out,
                   int heads, float scale, int maxPositions);

    @Override
    void close();
}
