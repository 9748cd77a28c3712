package io.jynamo.engine.tensor;

import static io.jynamo.engine.tensor.Simd.F;
import static io.jynamo.engine.tensor.Simd.L;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q6_K: super-blocks of 256 weights in 210 bytes: ql[128] (low 4 bits), qh[64] (high 2 bits),
 * 16 int8 scales (one per 16 weights), f16 d. weight = d * scale * (q6 - 32). Each half of 128
 * weights takes 64 ql and 32 qh bytes; byte l of them feeds weights l, l+32, l+64 and l+96.
 */
final class Q6KMatrix extends WeightMatrix {
    static final int BLOCK = 256;
    static final int BLOCK_BYTES = 210;

    Q6KMatrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q6_K;
    }

    @Override
    public ActivationFormat activationFormat() {
        return ActivationFormat.Q8_K;
    }

    private FloatVector q1(IntVector a, IntVector h) {
        return Simd.toFloats(a.and(0xF).or(h.lanewise(VectorOperators.LSHL, 4).and(0x30)).sub(32));
    }

    private FloatVector q2(IntVector b, IntVector h) {
        return Simd.toFloats(b.and(0xF).or(h.lanewise(VectorOperators.LSHL, 2).and(0x30)).sub(32));
    }

    private FloatVector q3(IntVector a, IntVector h) {
        return Simd.toFloats(a.lanewise(VectorOperators.LSHR, 4).or(h.and(0x30)).sub(32));
    }

    private FloatVector q4(IntVector b, IntVector h) {
        return Simd.toFloats(b.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHR, 2).and(0x30)).sub(32));
    }

    /** d * scale of the 16 weights that scale index {@code i} covers, as ggml forms it. */
    private float scale(long o, float d, int i) {
        return d * data.get(ValueLayout.JAVA_BYTE, o + 192 + i);
    }

    @Override
    protected float dot1(long rowOff, float[] x, int xOff) {
        FloatVector acc1 = FloatVector.zero(F), acc2 = acc1, acc3 = acc1, acc4 = acc1;
        for (int sb = 0; sb < cols / BLOCK; sb++) {
            long o = rowOff + (long) sb * BLOCK_BYTES;
            float d = Simd.half(data, o + 208);
            for (int n = 0; n < 2; n++) {
                long ql = o + 64L * n;
                long qh = o + 128 + 32L * n;
                int xo = xOff + sb * BLOCK + 128 * n;
                for (int l = 0; l < 32; l += L) {
                    int is = 8 * n + l / 16;
                    IntVector a = Simd.ubytesToInts(data, ql + l);
                    IntVector b = Simd.ubytesToInts(data, ql + 32 + l);
                    IntVector h = Simd.ubytesToInts(data, qh + l);
                    acc1 = q1(a, h).mul(scale(o, d, is)).fma(FloatVector.fromArray(F, x, xo + l), acc1);
                    acc2 = q2(b, h).mul(scale(o, d, is + 2)).fma(FloatVector.fromArray(F, x, xo + 32 + l), acc2);
                    acc3 = q3(a, h).mul(scale(o, d, is + 4)).fma(FloatVector.fromArray(F, x, xo + 64 + l), acc3);
                    acc4 = q4(b, h).mul(scale(o, d, is + 6)).fma(FloatVector.fromArray(F, x, xo + 96 + l), acc4);
                }
            }
        }
        return Simd.sum(acc1.add(acc2).add(acc3.add(acc4)));
    }

    @Override
    protected void dot4(long rowOff, float[] x, int xOff, float[] out, int outOff, int outStride) {
        int c = cols;
        FloatVector a0 = FloatVector.zero(F), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
        for (int sb = 0; sb < c / BLOCK; sb++) {
            long o = rowOff + (long) sb * BLOCK_BYTES;
            float d = Simd.half(data, o + 208);
            for (int n = 0; n < 2; n++) {
                long ql = o + 64L * n;
                long qh = o + 128 + 32L * n;
                for (int l = 0; l < 32; l += L) {
                    int is = 8 * n + l / 16;
                    IntVector a = Simd.ubytesToInts(data, ql + l);
                    IntVector b = Simd.ubytesToInts(data, ql + 32 + l);
                    IntVector h = Simd.ubytesToInts(data, qh + l);
                    FloatVector w1 = q1(a, h).mul(scale(o, d, is));
                    FloatVector w2 = q2(b, h).mul(scale(o, d, is + 2));
                    FloatVector w3 = q3(a, h).mul(scale(o, d, is + 4));
                    FloatVector w4 = q4(b, h).mul(scale(o, d, is + 6));
                    int x0 = xOff + sb * BLOCK + 128 * n + l;
                    a0 = w1.fma(FloatVector.fromArray(F, x, x0), a0);
                    b0 = w2.fma(FloatVector.fromArray(F, x, x0 + 32), b0);
                    a1 = w1.fma(FloatVector.fromArray(F, x, x0 + c), a1);
                    b1 = w2.fma(FloatVector.fromArray(F, x, x0 + c + 32), b1);
                    a2 = w1.fma(FloatVector.fromArray(F, x, x0 + 2 * c), a2);
                    b2 = w2.fma(FloatVector.fromArray(F, x, x0 + 2 * c + 32), b2);
                    a3 = w1.fma(FloatVector.fromArray(F, x, x0 + 3 * c), a3);
                    b3 = w2.fma(FloatVector.fromArray(F, x, x0 + 3 * c + 32), b3);
                    a0 = w3.fma(FloatVector.fromArray(F, x, x0 + 64), a0);
                    b0 = w4.fma(FloatVector.fromArray(F, x, x0 + 96), b0);
                    a1 = w3.fma(FloatVector.fromArray(F, x, x0 + c + 64), a1);
                    b1 = w4.fma(FloatVector.fromArray(F, x, x0 + c + 96), b1);
                    a2 = w3.fma(FloatVector.fromArray(F, x, x0 + 2 * c + 64), a2);
                    b2 = w4.fma(FloatVector.fromArray(F, x, x0 + 2 * c + 96), b2);
                    a3 = w3.fma(FloatVector.fromArray(F, x, x0 + 3 * c + 64), a3);
                    b3 = w4.fma(FloatVector.fromArray(F, x, x0 + 3 * c + 96), b3);
                }
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

    /** Scalar decode of n values (whole super-blocks) from byte {@code off}, as ggml's dequantize_row_q6_K. */
    static void decode(MemorySegment seg, long off, float[] dst, int dstOff, int n) {
        for (int sb = 0; sb < n / BLOCK; sb++) {
            long o = off + (long) sb * BLOCK_BYTES;
            float d = Simd.half(seg, o + 208);
            for (int half = 0; half < 2; half++) {
                long ql = o + 64L * half;
                long qh = o + 128 + 32L * half;
                long sc = o + 192 + 8L * half;
                int y = dstOff + sb * BLOCK + 128 * half;
                for (int l = 0; l < 32; l++) {
                    int is = l / 16;
                    int a = seg.get(ValueLayout.JAVA_BYTE, ql + l) & 0xFF;
                    int b = seg.get(ValueLayout.JAVA_BYTE, ql + 32 + l) & 0xFF;
                    int h = seg.get(ValueLayout.JAVA_BYTE, qh + l) & 0xFF;
                    dst[y + l] = d * seg.get(ValueLayout.JAVA_BYTE, sc + is) * (((a & 0xF) | ((h & 3) << 4)) - 32);
                    dst[y + l + 32] = d * seg.get(ValueLayout.JAVA_BYTE, sc + is + 2) * (((b & 0xF) | (((h >>> 2) & 3) << 4)) - 32);
                    dst[y + l + 64] = d * seg.get(ValueLayout.JAVA_BYTE, sc + is + 4) * (((a >>> 4) | (((h >>> 4) & 3) << 4)) - 32);
                    dst[y + l + 96] = d * seg.get(ValueLayout.JAVA_BYTE, sc + is + 6) * (((b >>> 4) | (((h >>> 6) & 3) << 4)) - 32);
                }
            }
        }
    }
}
