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

    private static FloatVector low(IntVector v) {
        return Simd.toFloats(v.and(0xF).sub(8));
    }

    private static FloatVector high(IntVector v) {
        return Simd.toFloats(v.lanewise(VectorOperators.LSHR, 4).sub(8));
    }

    /** Σ (q - 8)·x over the block at {@code o}, unscaled. */
    private FloatVector blockDot(long o, float[] x, int xo) {
        IntVector v = Simd.ubytesToInts(data, o + 2);
        FloatVector p = low(v).mul(FloatVector.fromArray(F, x, xo));
        FloatVector r = high(v).mul(FloatVector.fromArray(F, x, xo + 16));
        for (int k = L; k < 16; k += L) {
            v = Simd.ubytesToInts(data, o + 2 + k);
            p = low(v).fma(FloatVector.fromArray(F, x, xo + k), p);
            r = high(v).fma(FloatVector.fromArray(F, x, xo + 16 + k), r);
        }
        return p.add(r);
    }

    @Override
    protected float dot1(long rowOff, float[] x, int xOff) {
        int nb = cols / BLOCK;
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
        int b = 0;
        for (; b + 2 <= nb; b += 2) {
            long o = rowOff + (long) b * BLOCK_BYTES;
            int xo = xOff + b * BLOCK;
            acc0 = blockDot(o, x, xo).fma(FloatVector.broadcast(F, Simd.half(data, o)), acc0);
            long o1 = o + BLOCK_BYTES;
            acc1 = blockDot(o1, x, xo + BLOCK).fma(FloatVector.broadcast(F, Simd.half(data, o1)), acc1);
        }
        if (b < nb) {
            long o = rowOff + (long) b * BLOCK_BYTES;
            acc0 = blockDot(o, x, xOff + b * BLOCK).fma(FloatVector.broadcast(F, Simd.half(data, o)), acc0);
        }
        return Simd.sum(acc0.add(acc1));
    }

    @Override
    protected void dot4(long rowOff, float[] x, int xOff, float[] out, int outOff, int outStride) {
        int c = cols;
        int nb = c / BLOCK;
        FloatVector a0 = FloatVector.zero(F), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
        for (int b = 0; b < nb; b++) {
            long o = rowOff + (long) b * BLOCK_BYTES;
            float d = Simd.half(data, o);
            for (int k = 0; k < 16; k += L) {
                IntVector v = Simd.ubytesToInts(data, o + 2 + k);
                FloatVector wa = low(v).mul(d);
                FloatVector wb = high(v).mul(d);
                int x0 = xOff + b * BLOCK + k;
                a0 = wa.fma(FloatVector.fromArray(F, x, x0), a0);
                b0 = wb.fma(FloatVector.fromArray(F, x, x0 + 16), b0);
                a1 = wa.fma(FloatVector.fromArray(F, x, x0 + c), a1);
                b1 = wb.fma(FloatVector.fromArray(F, x, x0 + c + 16), b1);
                a2 = wa.fma(FloatVector.fromArray(F, x, x0 + 2 * c), a2);
                b2 = wb.fma(FloatVector.fromArray(F, x, x0 + 2 * c + 16), b2);
                a3 = wa.fma(FloatVector.fromArray(F, x, x0 + 3 * c), a3);
                b3 = wb.fma(FloatVector.fromArray(F, x, x0 + 3 * c + 16), b3);
            }
        }
        out[outOff] = Simd.sum(a0.add(b0));
        out[outOff + outStride] = Simd.sum(a1.add(b1));
        out[outOff + 2 * outStride] = Simd.sum(a2.add(b2));
        out[outOff + 3 * outStride] = Simd.sum(a3.add(b3));
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
