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

    /** Σ q·x over the block at {@code o}, unscaled; two chains so the FMAs overlap. */
    private FloatVector blockDot(long o, float[] x, int xo) {
        FloatVector p = q(o + 2).mul(FloatVector.fromArray(F, x, xo));
        FloatVector r = q(o + 2 + L).mul(FloatVector.fromArray(F, x, xo + L));
        for (int k = 2 * L; k < BLOCK; k += 2 * L) {
            p = q(o + 2 + k).fma(FloatVector.fromArray(F, x, xo + k), p);
            r = q(o + 2 + k + L).fma(FloatVector.fromArray(F, x, xo + k + L), r);
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
            for (int k = 0; k < BLOCK; k += 2 * L) {
                FloatVector wa = q(o + 2 + k).mul(d);
                FloatVector wb = q(o + 2 + k + L).mul(d);
                int x0 = xOff + b * BLOCK + k;
                a0 = wa.fma(FloatVector.fromArray(F, x, x0), a0);
                b0 = wb.fma(FloatVector.fromArray(F, x, x0 + L), b0);
                a1 = wa.fma(FloatVector.fromArray(F, x, x0 + c), a1);
                b1 = wb.fma(FloatVector.fromArray(F, x, x0 + c + L), b1);
                a2 = wa.fma(FloatVector.fromArray(F, x, x0 + 2 * c), a2);
                b2 = wb.fma(FloatVector.fromArray(F, x, x0 + 2 * c + L), b2);
                a3 = wa.fma(FloatVector.fromArray(F, x, x0 + 3 * c), a3);
                b3 = wb.fma(FloatVector.fromArray(F, x, x0 + 3 * c + L), b3);
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
