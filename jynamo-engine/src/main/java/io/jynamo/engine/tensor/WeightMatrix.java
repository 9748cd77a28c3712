package io.jynamo.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * A 2-D weight [rows][cols] in its stored (possibly quantised) format, read in place from a
 * memory-mapped file. Row r holds the weights of output feature r; a matmul reads each row once
 * and multiplies it with every token of the batch.
 */
public abstract class WeightMatrix {
    protected final MemorySegment data;
    protected final int rows;
    protected final int cols;

    protected WeightMatrix(MemorySegment data, int rows, int cols) {
        this.data = data;
        this.rows = rows;
        this.cols = cols;
    }

    /** Wraps {@code data} (exactly rows * row bytes) as a matrix of the given type. */
    public static WeightMatrix of(GgmlType type, MemorySegment data, int rows, int cols) {
        throw new UnsupportedOperationException("SKELETON: implemented by the kernels helper");
    }

    public final int rows() { return rows; }

    public final int cols() { return cols; }

    public abstract GgmlType type();

    /** The rounding llama.cpp applies to this type's input activations. */
    public abstract ActivationFormat activationFormat();

    /**
     * out[t * outStride + r] = row r · x[t * cols .. (t+1) * cols) for t in [0, nTokens), r in [r0, r1).
     * {@code x} must already be rounded with {@link #activationFormat()}. Thread-safe: callers split
     * the rows among threads.
     */
    public abstract void matmul(float[] x, int nTokens, float[] out, int outStride, int r0, int r1);

    /** Plain scalar dot product of row {@code row} with x[xOff .. xOff+cols): the reference for tests. */
    public abstract float dotScalar(int row, float[] x, int xOff);

    /** Decodes row {@code row} to floats (embedding lookup). */
    public abstract void dequantizeRow(int row, float[] dst, int dstOff);
}
