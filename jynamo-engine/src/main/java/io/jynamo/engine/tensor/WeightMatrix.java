package io.jynamo.engine.tensor;

import io.jynamo.engine.EngineException;
import java.lang.foreign.MemorySegment;

/**
 * A 2-D weight [rows][cols] in its stored (possibly quantised) format, read in place from a
 * memory-mapped file. Row r holds the weights of output feature r; a matmul reads each row once
 * and multiplies it with every token of the batch.
 *
 * <p>Each format is one subclass with two vector kernels: {@link #dot1} streams a row once for one
 * token (decode, bound by memory bandwidth), and {@link #dot4} decodes a row once for four tokens
 * (prefill, bound by FMAs). This class owns the loop around them: rows are walked in blocks small
 * enough to stay in L2 while every tile of four tokens passes over them.
 */
public abstract class WeightMatrix {
    /** Weight bytes a prefill row block aims for, so the block and a tile of x fit in L2 together. */
    private static final long ROW_BLOCK_BYTES = 96 * 1024;

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
        if (nTokens == 1) {
            for (int r = r0; r < r1; r++) {
                out[r] = dot1(r * rowBytes, x, 0);
            }
            return;
        }
        int block = (int) Math.max(1, Math.min(r1 - r0, ROW_BLOCK_BYTES / rowBytes));
        for (int rb = r0; rb < r1; rb += block) {
            int re = Math.min(r1, rb + block);
            int t = 0;
            for (; t + 4 <= nTokens; t += 4) {
                for (int r = rb; r < re; r++) {
                    dot4(r * rowBytes, x, t * cols, out, t * outStride + r, outStride);
                }
            }
            for (; t < nTokens; t++) {
                for (int r = rb; r < re; r++) {
                    out[t * outStride + r] = dot1(r * rowBytes, x, t * cols);
                }
            }
        }
    }

    /** Row at byte offset {@code rowOff} · x[xOff .. xOff + cols). */
    protected abstract float dot1(long rowOff, float[] x, int xOff);

    /**
     * For t in 0..3: out[outOff + t * outStride] = row at {@code rowOff} · x[xOff + t * cols ..).
     * The row is decoded once and used for all four tokens.
     */
    protected abstract void dot4(long rowOff, float[] x, int xOff, float[] out, int outOff, int outStride);

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
