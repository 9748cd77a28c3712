package io.jynamo.engine.tensor;

import static io.jynamo.engine.tensor.Simd.F;
import static io.jynamo.engine.tensor.Simd.L;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;

/** Q8_0: blocks of 32 weights, an f16 scale d then 32 int8 q; weight = d * q. */
final class Q8_0Matrix extends WeightMatrix {
    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 34;

    Q8_0Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q8_0;
    }

    @Override
    public ActivationFormat activationFormat() {
        return ActivationFormat.Q8_0;
    }

    private FloatVector q(long off) {
        return Simd.bytesToFloats(data, off);
    }

    /**
     * Per block, Σ q·x is formed unscaled in two chains and folded in with one FMA by d; the two
     * accumulators trade places each block so consecutive blocks' FMAs overlap. The block code is
     * written out here rather than in a helper: a helper that C2 compiles on its own first is then
     * too big to inline, and every vector crossing the call would be boxed.
     */
    @Override
    protected float dot1(long rowOff, float[] x, int xOff, Scratch scratch) {
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = rowOff + (long) b * BLOCK_BYTES;
            int xo = xOff + b * BLOCK;
            FloatVector p = q(o + 2).mul(FloatVector.fromArray(F, x, xo));
            FloatVector r = q(o + 2 + L).mul(FloatVector.fromArray(F, x, xo + L));
            for (int k = 2 * L; k < BLOCK; k += 2 * L) {
                p = q(o + 2 + k).fma(FloatVector.fromArray(F, x, xo + k), p);
                r = q(o + 2 + k + L).fma(FloatVector.fromArray(F, x, xo + k + L), r);
            }
            FloatVector acc = p.add(r).fma(FloatVector.broadcast(F, Simd.half(data, o)), acc1);
            acc1 = acc0;
            acc0 = acc;
        }
        return Simd.sum(scratch.lanes, acc0.add(acc1));
    }

    @Override
    protected void decodeRowVector(long rowOff, float[] dst, int dstOff) {
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = rowOff + (long) b * BLOCK_BYTES;
            FloatVector d = FloatVector.broadcast(F, Simd.half(data, o));
            for (int k = 0; k < BLOCK; k += L) {
                q(o + 2 + k).mul(d).intoArray(dst, dstOff + b * BLOCK + k);
            }
        }
    }

    @Override
    protected void decodeRow(long rowOff, float[] dst, int dstOff) {
        decode(data, rowOff, dst, dstOff, cols);
    }

    /** Scalar decode of n values (whole blocks) starting at byte {@code off}, as ggml's dequantize_row_q8_0. */
    static void decode(MemorySegment seg, long off, float[] dst, int dstOff, int n) {
        for (int b = 0; b < n / BLOCK; b++) {
            long o = off + (long) b * BLOCK_BYTES;
            float d = Simd.half(seg, o);
            for (int j = 0; j < BLOCK; j++) {
                dst[dstOff + b * BLOCK + j] = seg.get(ValueLayout.JAVA_BYTE, o + 2 + j) * d;
            }
        }
    }
}
