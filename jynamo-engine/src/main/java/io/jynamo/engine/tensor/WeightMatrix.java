package io.jynamo.engine.tensor;

import io.jynamo.engine.GgmlType;
import io.jynamo.engine.EngineException;
import java.lang.foreign.MemorySegment;

/**
 * A 2-D weight [rows][cols] in its stored (possibly quantised) format, read in place from a
 * memory-mapped file. Row r holds the weights of output feature r; a matmul reads each row once
 * and multiplies it with every token of the batch.
 *
 * <p>Each format is one subclass with a vector kernel {@link #dot1} that streams a row once for one
 * token (decode, bound by memory bandwidth), optionally a {@link #dotTokens} that shares the
 * weight decoding among the tokens of a batch, and a vectorised row decoder. A token's result is
 * the same bits whatever else is in the batch and however rows are split among threads.
 */
public abstract class WeightMatrix {
    /** Activations of one block of tokens in a batched matmul: 256 KiB, so they stay in L2. */
    private static final int TOKEN_BLOCK_FLOATS = 64 * 1024;

    protected final MemorySegment data;
    protected final int rows;
    protected final int cols;
    /** Bytes of one stored row. */
    protected final long rowBytes;

    protected WeightMatrix(MemorySegment data, int rows, int cols) {
        this.data = data;
        this.rows = rows;
        this.cols = cols;
        this.rowBytes = type().byteSize(cols);
    }

    /** Wraps {@code data} (exactly rows * row bytes) as a matrix of the given type. */
    public static WeightMatrix of(GgmlType type, MemorySegment data, int rows, int cols) {
        if (type == null || data == null) {
            throw EngineException.badInput("a weight matrix needs a type and data");
        }
        if (rows <= 0 || cols <= 0) {
            throw EngineException.badInput("a " + type + " weight matrix needs positive dimensions, got " + rows + "x" + cols);
        }
        long expected = rows * type.byteSize(cols);
        if (data.byteSize() != expected) {
            throw EngineException.badInput("a " + type + " weight matrix of " + rows + "x" + cols + " takes " + expected
                    + " bytes, got " + data.byteSize());
        }
        return switch (type) {
            case F32 -> new F32Matrix(data, rows, cols);
            case F16 -> new F16Matrix(data, rows, cols);
            case BF16 -> new BF16Matrix(data, rows, cols);
            case Q8_0 -> new Q8_0Matrix(data, rows, cols);
            case Q4_0 -> new Q4_0Matrix(data, rows, cols);
            case Q4_K -> new Q4KMatrix(data, rows, cols);
            case Q6_K -> new Q6KMatrix(data, rows, cols);
        };
    }

    public final int rows() { return rows; }

    public final int cols() { return cols; }

    public abstract GgmlType type();

    /** The rounding llama.cpp applies to this type's input activations. */
    public abstract ActivationFormat activationFormat();

    /**
     * out[t * outStride + r] = row r · x[t * cols .. (t+1) * cols) for t in [0, nTokens), r in [r0, r1).
     * {@code x} must already be rounded with {@link #activationFormat()}. Thread-safe: callers split
     * the rows among threads. A row's result depends only on the row, its token and nTokens, never on
     * [r0, r1), so any split of the rows among threads gives the same bits.
     */
    public void matmul(float[] x, int nTokens, float[] out, int outStride, int r0, int r1) {
        checkMatmul(x, nTokens, out, outStride, r0, r1);
        Scratch scratch = Scratch.get();
        if (nTokens == 1) {
            for (int r = r0; r < r1; r++) {
                out[r] = dot1(r * rowBytes, x, 0, scratch);
            }
            return;
        }
        // A batch: rows outside, so each row stays in L1 while a block of tokens (whose activations
        // fit in L2) passes over it. Every token gets exactly the arithmetic of a lone token.
        int tokenBlock = Math.clamp(TOKEN_BLOCK_FLOATS / cols, 4, 64);
        for (int t0 = 0; t0 < nTokens; t0 += tokenBlock) {
            int t1 = Math.min(nTokens, t0 + tokenBlock);
            for (int r = r0; r < r1; r++) {
                dotTokens(r * rowBytes, x, t0, t1, out, outStride, r, scratch);
            }
        }
    }

    /**
     * out[t * outStride + r] = row · x[t * cols ..] for t in [t0, t1), each bit-identical to what
     * {@link #dot1} gives for that token alone, so a token's result never depends on its batch (the
     * serving engine batches many sequences; each must get the tokens it would get alone). Formats
     * override this to share weight decoding among tokens while keeping each token's arithmetic.
     */
    protected void dotTokens(long rowOff, float[] x, int t0, int t1, float[] out, int outStride, int r,
                             Scratch scratch) {
        int t = t0;
        if (hasDot4()) {
            float[] lanes = scratch.lanes4;
            for (; t + 4 <= t1; t += 4) {
                dot4(rowOff, x, t * cols, lanes);
                for (int k = 0; k < 4; k++) {
                    out[(t + k) * outStride + r] = Simd.sumAt(lanes, k * Simd.L);
                }
            }
        }
        for (; t < t1; t++) {
            out[t * outStride + r] = dot1(rowOff, x, t * cols, scratch);
        }
    }

    /** Whether this format has a {@link #dot4} kernel (at the current vector width). */
    protected boolean hasDot4() {
        return false;
    }

    /**
     * Four tokens at once, x[xOff + k * cols ..) for k &lt; 4, reading the row once: leaves token k's
     * accumulator vector (before the lane sum) in lanes[k * L ..), having done for each token exactly
     * the float operations {@link #dot1} does, in the same order, so that the lane sums
     * {@link Simd#sumAt} then takes give dot1's bits. The weights of a block are decoded into
     * registers once and used by all four tokens; AVX2's 16 vector registers hold the four decoded
     * vectors, four accumulators and the temporaries.
     */
    protected void dot4(long rowOff, float[] x, int xOff, float[] lanes) {
        throw EngineException.internal(type() + " matrix has no four-token kernel", null);
    }

    /** Row at byte offset {@code rowOff} · x[xOff .. xOff + cols), streaming the row once (decode). */
    protected abstract float dot1(long rowOff, float[] x, int xOff, Scratch scratch);

    /**
     * Vectorised decode of the row at byte offset {@code rowOff} into dst[dstOff ..); must give
     * exactly the values of {@link #decodeRow}.
     */
    protected abstract void decodeRowVector(long rowOff, float[] dst, int dstOff);

    /** Plain scalar dot product of row {@code row} with x[xOff .. xOff+cols): the reference for tests. */
    public float dotScalar(int row, float[] x, int xOff) {
        checkRow(row);
        if (x == null || xOff < 0 || xOff > x.length - cols) {
            throw EngineException.badInput("dot of a " + cols + "-column " + type() + " row needs x with " + cols
                    + " values from offset " + xOff);
        }
        float[] w = new float[cols];
        decodeRow(row * rowBytes, w, 0);
        float sum = 0;
        for (int i = 0; i < cols; i++) {
            sum += w[i] * x[xOff + i];
        }
        return sum;
    }

    /** Decodes row {@code row} to floats (embedding lookup). */
    public void dequantizeRow(int row, float[] dst, int dstOff) {
        checkRow(row);
        if (dst == null || dstOff < 0 || dstOff > dst.length - cols) {
            throw EngineException.badInput("decoding a " + cols + "-column " + type() + " row needs room for " + cols
                    + " floats from offset " + dstOff);
        }
        decodeRow(row * rowBytes, dst, dstOff);
    }

    /** Scalar decode of the row at byte offset {@code rowOff}, exactly as ggml dequantises it. */
    protected abstract void decodeRow(long rowOff, float[] dst, int dstOff);

    private void checkRow(int row) {
        if (row < 0 || row >= rows) {
            throw EngineException.badInput("row " + row + " is outside a " + type() + " matrix of " + rows + " rows");
        }
    }

    private void checkMatmul(float[] x, int nTokens, float[] out, int outStride, int r0, int r1) {
        if (x == null || out == null) {
            throw EngineException.badInput("matmul needs input and output arrays");
        }
        if (r0 < 0 || r1 > rows || r0 > r1) {
            throw EngineException.badInput("matmul rows [" + r0 + ", " + r1 + ") are outside a matrix of " + rows + " rows");
        }
        if (nTokens < 1 || (long) nTokens * cols > x.length) {
            throw EngineException.badInput("matmul of " + nTokens + " tokens needs " + (long) nTokens * cols
                    + " input values, got " + x.length);
        }
        if ((nTokens > 1 && outStride < r1) || (long) (nTokens - 1) * outStride + r1 > out.length) {
            throw EngineException.badInput("matmul output of " + out.length + " floats with stride " + outStride
                    + " cannot hold " + nTokens + " tokens of rows up to " + r1);
        }
    }
}
