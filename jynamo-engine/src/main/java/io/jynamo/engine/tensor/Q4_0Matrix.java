package io.jynamo.engine.tensor;

import io.jynamo.engine.GgmlType;
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
     * Per block, Σ (q - 8)·x is formed unscaled (low and high nibbles in two chains) and folded
     * into one accumulator with one FMA by d. The block code is written out here: a helper compiled
     * on its own would be too big to inline later, and vectors crossing the call would be boxed.
     * The eight-lane path and the general one together keep this method above C2's hot inlining
     * limit, so that it is never inlined into matmul (see {@link Q8_0Matrix#dot1}).
     */
    @Override
    protected float dot1(long rowOff, float[] x, int xOff, Scratch scratch) {
        MemorySegment seg = data;
        FloatVector acc = FloatVector.zero(F);
        if (L == 8) {
            for (int b = 0; b < cols / BLOCK; b++) {
                long o = rowOff + (long) b * BLOCK_BYTES;
                int xo = xOff + b * BLOCK;
                IntVector v = Simd.bytesToInts(seg, o + 2);
                FloatVector p = low(v).mul(FloatVector.fromArray(F, x, xo));
                FloatVector r = high(v).mul(FloatVector.fromArray(F, x, xo + 16));
                v = Simd.bytesToInts(seg, o + 10);
                p = low(v).fma(FloatVector.fromArray(F, x, xo + 8), p);
                r = high(v).fma(FloatVector.fromArray(F, x, xo + 24), r);
                acc = p.add(r).fma(FloatVector.broadcast(F, Simd.half(seg, o)), acc);
            }
            return Simd.sum(scratch.lanes, acc);
        }
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = rowOff + (long) b * BLOCK_BYTES;
            int xo = xOff + b * BLOCK;
            IntVector v = Simd.bytesToInts(seg, o + 2);
            FloatVector p = low(v).mul(FloatVector.fromArray(F, x, xo));
            FloatVector r = high(v).mul(FloatVector.fromArray(F, x, xo + 16));
            for (int k = L; k < 16; k += L) {
                v = Simd.bytesToInts(seg, o + 2 + k);
                p = low(v).fma(FloatVector.fromArray(F, x, xo + k), p);
                r = high(v).fma(FloatVector.fromArray(F, x, xo + 16 + k), r);
            }
            acc = p.add(r).fma(FloatVector.broadcast(F, Simd.half(seg, o)), acc);
        }
        return Simd.sum(scratch.lanes, acc);
    }

    @Override
    protected boolean hasDot4() {
        return L == 8;
    }

    /**
     * dot1 for four tokens (eight lanes): a block's four weight vectors (low and high nibbles of
     * its two 8-byte halves) and its scale are decoded once, then each token does dot1's two
     * chains and FMA in dot1's order.
     */
    @Override
    protected void dot4(long rowOff, float[] x, int xOff, float[] lanes) {
        MemorySegment seg = data;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int n = cols;
        int y0 = xOff, y1 = xOff + n, y2 = xOff + 2 * n, y3 = xOff + 3 * n;
        for (int b = 0; b < n / BLOCK; b++) {
            long o = rowOff + (long) b * BLOCK_BYTES;
            IntVector v = Simd.bytesToInts(seg, o + 2);
            FloatVector w0 = low(v), w1 = high(v);
            v = Simd.bytesToInts(seg, o + 10);
            FloatVector w2 = low(v), w3 = high(v);
            FloatVector d = FloatVector.broadcast(F, Simd.half(seg, o));
            int k = b * BLOCK;
            a0 = w2.fma(FloatVector.fromArray(F, x, y0 + k + 8), w0.mul(FloatVector.fromArray(F, x, y0 + k)))
                    .add(w3.fma(FloatVector.fromArray(F, x, y0 + k + 24), w1.mul(FloatVector.fromArray(F, x, y0 + k + 16))))
                    .fma(d, a0);
            a1 = w2.fma(FloatVector.fromArray(F, x, y1 + k + 8), w0.mul(FloatVector.fromArray(F, x, y1 + k)))
                    .add(w3.fma(FloatVector.fromArray(F, x, y1 + k + 24), w1.mul(FloatVector.fromArray(F, x, y1 + k + 16))))
                    .fma(d, a1);
            a2 = w2.fma(FloatVector.fromArray(F, x, y2 + k + 8), w0.mul(FloatVector.fromArray(F, x, y2 + k)))
                    .add(w3.fma(FloatVector.fromArray(F, x, y2 + k + 24), w1.mul(FloatVector.fromArray(F, x, y2 + k + 16))))
                    .fma(d, a2);
            a3 = w2.fma(FloatVector.fromArray(F, x, y3 + k + 8), w0.mul(FloatVector.fromArray(F, x, y3 + k)))
                    .add(w3.fma(FloatVector.fromArray(F, x, y3 + k + 24), w1.mul(FloatVector.fromArray(F, x, y3 + k + 16))))
                    .fma(d, a3);
        }
        a0.intoArray(lanes, 0);
        a1.intoArray(lanes, L);
        a2.intoArray(lanes, 2 * L);
        a3.intoArray(lanes, 3 * L);
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
