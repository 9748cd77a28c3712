package io.jynamo.engine.tensor;

import static io.jynamo.engine.tensor.Simd.F;
import static io.jynamo.engine.tensor.Simd.L;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q4_K: super-blocks of 256 weights in 144 bytes: f16 d, f16 dmin, 12 bytes of 6-bit scales and
 * mins for eight sub-blocks of 32, then 128 bytes of nibbles. Each 64 weights share 32 bytes: the
 * low nibbles are sub-block 2g, the high nibbles sub-block 2g + 1. weight = d*sc*q - dmin*m.
 */
final class Q4KMatrix extends WeightMatrix {
    static final int BLOCK = 256;
    static final int BLOCK_BYTES = 144;

    Q4KMatrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q4_K;
    }

    @Override
    public ActivationFormat activationFormat() {
        return ActivationFormat.Q8_K;
    }

    /** Unpacks the 6-bit scale of sub-block j from the 12 scale bytes at {@code sc}, as ggml packs it. */
    static int scale(MemorySegment seg, long sc, int j) {
        if (j < 4) {
            return u8(seg, sc + j) & 63;
        }
        return (u8(seg, sc + j + 4) & 0xF) | ((u8(seg, sc + j - 4) >>> 6) << 4);
    }

    /** Unpacks the 6-bit min of sub-block j. */
    static int min(MemorySegment seg, long sc, int j) {
        if (j < 4) {
            return u8(seg, sc + j + 4) & 63;
        }
        return (u8(seg, sc + j + 4) >>> 4) | ((u8(seg, sc + j) >>> 6) << 4);
    }

    private static int u8(MemorySegment seg, long off) {
        return seg.get(ValueLayout.JAVA_BYTE, off) & 0xFF;
    }

    /**
     * Decode: per sub-block, Σ q·x and Σ x are formed unscaled and folded in with d*sc and dmin*m,
     * so the scales cost two FMAs per 32 weights rather than one per vector.
     */
    @Override
    protected float dot1(long rowOff, float[] x, int xOff) {
        FloatVector accL = FloatVector.zero(F), accH = accL, minL = accL, minH = accL;
        for (int sb = 0; sb < cols / BLOCK; sb++) {
            long o = rowOff + (long) sb * BLOCK_BYTES;
            float d = Simd.half(data, o);
            float dmin = Simd.half(data, o + 2);
            for (int g = 0; g < 4; g++) {
                long qo = o + 16 + 32L * g;
                int xo = xOff + sb * BLOCK + 64 * g;
                IntVector v = Simd.ubytesToInts(data, qo);
                FloatVector xl = FloatVector.fromArray(F, x, xo);
                FloatVector xh = FloatVector.fromArray(F, x, xo + 32);
                FloatVector pl = Simd.toFloats(v.and(0xF)).mul(xl);
                FloatVector ph = Simd.toFloats(v.lanewise(VectorOperators.LSHR, 4)).mul(xh);
                FloatVector sl = xl, sh = xh;
                for (int k = L; k < 32; k += L) {
                    v = Simd.ubytesToInts(data, qo + k);
                    xl = FloatVector.fromArray(F, x, xo + k);
                    xh = FloatVector.fromArray(F, x, xo + 32 + k);
                    pl = Simd.toFloats(v.and(0xF)).fma(xl, pl);
                    ph = Simd.toFloats(v.lanewise(VectorOperators.LSHR, 4)).fma(xh, ph);
                    sl = sl.add(xl);
                    sh = sh.add(xh);
                }
                accL = pl.fma(FloatVector.broadcast(F, d * scale(data, o + 4, 2 * g)), accL);
                accH = ph.fma(FloatVector.broadcast(F, d * scale(data, o + 4, 2 * g + 1)), accH);
                minL = sl.fma(FloatVector.broadcast(F, dmin * min(data, o + 4, 2 * g)), minL);
                minH = sh.fma(FloatVector.broadcast(F, dmin * min(data, o + 4, 2 * g + 1)), minH);
            }
        }
        return Simd.sum(accL.add(accH)) - Simd.sum(minL.add(minH));
    }

    /** Prefill: weights are dequantised once into registers (q*d1 - m1) and used for four tokens. */
    @Override
    protected void dot4(long rowOff, float[] x, int xOff, float[] out, int outOff, int outStride) {
        int c = cols;
        FloatVector a0 = FloatVector.zero(F), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
        for (int sb = 0; sb < c / BLOCK; sb++) {
            long o = rowOff + (long) sb * BLOCK_BYTES;
            float d = Simd.half(data, o);
            float dmin = Simd.half(data, o + 2);
            for (int g = 0; g < 4; g++) {
                FloatVector dl = FloatVector.broadcast(F, d * scale(data, o + 4, 2 * g));
                FloatVector dh = FloatVector.broadcast(F, d * scale(data, o + 4, 2 * g + 1));
                FloatVector ml = FloatVector.broadcast(F, -(dmin * min(data, o + 4, 2 * g)));
                FloatVector mh = FloatVector.broadcast(F, -(dmin * min(data, o + 4, 2 * g + 1)));
                long qo = o + 16 + 32L * g;
                for (int k = 0; k < 32; k += L) {
                    IntVector v = Simd.ubytesToInts(data, qo + k);
                    FloatVector wa = Simd.toFloats(v.and(0xF)).fma(dl, ml);
                    FloatVector wb = Simd.toFloats(v.lanewise(VectorOperators.LSHR, 4)).fma(dh, mh);
                    int x0 = xOff + sb * BLOCK + 64 * g + k;
                    a0 = wa.fma(FloatVector.fromArray(F, x, x0), a0);
                    b0 = wb.fma(FloatVector.fromArray(F, x, x0 + 32), b0);
                    a1 = wa.fma(FloatVector.fromArray(F, x, x0 + c), a1);
                    b1 = wb.fma(FloatVector.fromArray(F, x, x0 + c + 32), b1);
                    a2 = wa.fma(FloatVector.fromArray(F, x, x0 + 2 * c), a2);
                    b2 = wb.fma(FloatVector.fromArray(F, x, x0 + 2 * c + 32), b2);
                    a3 = wa.fma(FloatVector.fromArray(F, x, x0 + 3 * c), a3);
                    b3 = wb.fma(FloatVector.fromArray(F, x, x0 + 3 * c + 32), b3);
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

    /** Scalar decode of n values (whole super-blocks) from byte {@code off}, as ggml's dequantize_row_q4_K. */
    static void decode(MemorySegment seg, long off, float[] dst, int dstOff, int n) {
        for (int sb = 0; sb < n / BLOCK; sb++) {
            long o = off + (long) sb * BLOCK_BYTES;
            float d = Simd.half(seg, o);
            float dmin = Simd.half(seg, o + 2);
            for (int g = 0; g < 4; g++) {
                float d1 = d * scale(seg, o + 4, 2 * g), m1 = dmin * min(seg, o + 4, 2 * g);
                float d2 = d * scale(seg, o + 4, 2 * g + 1), m2 = dmin * min(seg, o + 4, 2 * g + 1);
                int y = dstOff + sb * BLOCK + 64 * g;
                for (int l = 0; l < 32; l++) {
                    int q = u8(seg, o + 16 + 32L * g + l);
                    dst[y + l] = d1 * (q & 0xF) - m1;
                    dst[y + 32 + l] = d2 * (q >>> 4) - m2;
                }
            }
        }
    }
}
