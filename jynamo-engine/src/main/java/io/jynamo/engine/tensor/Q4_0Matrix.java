package io.jynamo.engine.tensor;

import static io.jynamo.engine.tensor.Simd.F;
import static io.jynamo.engine.tensor.Simd.L;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q4_0: blocks of 32 weights, an f16 scale d then 16 bytes; byte j holds weight j in its low
 * nibble and weight j + 16 in its high nibble; weight = d * (nibble - 8).
 */
final class Q4_0Matrix extends WeightMatrix {
    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 18;

    Q4_0Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    @Override
    public ActivationFormat activationFormat() {
        return ActivationFormat.Q8_0;
    }

    /** Weights (nibble - 8) from the low nibbles of sign-extended bytes. */
    private static FloatVector low(IntVector v) {
        return Simd.toFloats(v.and(0xF).sub(8));
    }

    private static FloatVector high(IntVector v) {
        return Simd.toFloats(v.lanewise(VectorOperators.ASHR, 4).and(0xF).sub(8));
    }

    /**
     * Per block, Σ (q - 8)·x is formed unscaled (low and high nibbles in two chains) and folded in
     * with one FMA by d; the accumulators trade places each block so consecutive blocks overlap.
     * The block code is written out here: a helper compiled on its own would be too big to inline
     * later, and vectors crossing the call would be boxed.
     */
    @Override
    protected float dot1(long rowOff, float[] x, int xOff, Scratch scratch) {
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = rowOff + (long) b * BLOCK_BYTES;
            int xo = xOff + b * BLOCK;
            IntVector v = Simd.bytesToInts(data, o + 2);
            FloatVector p = low(v).mul(FloatVector.fromArray(F, x, xo));
            FloatVector r = high(v).mul(FloatVector.fromArray(F, x, xo + 16));
            for (int k = L; k < 16; k += L) {
                v = Simd.bytesToInts(data, o + 2 + k);
                p = low(v).fma(FloatVector.fromArray(F, x, xo + k), p);
                r = high(v).fma(FloatVector.fromArray(F, x, xo + 16 + k), r);
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
            int y = dstOff + b * BLOCK;
            for (int k = 0; k < 16; k += L) {
                IntVector v = Simd.bytesToInts(data, o + 2 + k);
                low(v).mul(d).intoArray(dst, y + k);
                high(v).mul(d).intoArray(dst, y + 16 + k);
            }
        }
    }

    @Override
    protected void decodeRow(long rowOff, float[] dst, int dstOff) {
        decode(data, rowOff, dst, dstOff, cols);
    }

    /** Scalar decode of n values (whole blocks) starting at byte {@code off}, as ggml's dequantize_row_q4_0. */
    static void decode(MemorySegment seg, long off, float[] dst, int dstOff, int n) {
        for (int b = 0; b < n / BLOCK; b++) {
            long o = off + (long) b * BLOCK_BYTES;
            float d = Simd.half(seg, o);
            int y = dstOff + b * BLOCK;
            for (int j = 0; j < 16; j++) {
                int q = seg.get(ValueLayout.JAVA_BYTE, o + 2 + j) & 0xFF;
                dst[y + j] = ((q & 0xF) - 8) * d;
                dst[y + j + 16] = ((q >>> 4) - 8) * d;
            }
        }
    }
}
