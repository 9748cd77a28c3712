package io.jynamo.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * A format whose rows are decoded into per-thread scratch (it stays in L2) and then multiplied with
 * the shared f32 kernel: the K-quants, whose fused kernels do not fit C2's inlining budget. The row
 * is still read from memory once, and a batch decodes it once for all its tokens.
 */
abstract class DecodedRowMatrix extends WeightMatrix {
    DecodedRowMatrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    protected final float dot1(long rowOff, float[] x, int xOff, Scratch scratch) {
        float[] w = scratch.rows(cols);
        decodeRowVector(rowOff, w, 0);
        return FloatKernels.dot(w, 0, x, xOff, cols, scratch.lanes);
    }

    /** Decodes the row once for the whole block of tokens; each dot is then the one {@link #dot1} does. */
    @Override
    protected final void dotTokens(long rowOff, float[] x, int t0, int t1, float[] out, int outStride, int r,
                                   Scratch scratch) {
        float[] w = scratch.rows(cols);
        decodeRowVector(rowOff, w, 0);
        for (int t = t0; t < t1; t++) {
            out[t * outStride + r] = FloatKernels.dot(w, 0, x, t * cols, cols, scratch.lanes);
        }
    }
}
