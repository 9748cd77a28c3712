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
 * Q6_K: super-blocks of 256 weights in 210 bytes: ql[128] (low 4 bits), qh[64] (high 2 bits),
 * 16 int8 scales (one per 16 weights), f16 d. weight = d * scale * (q6 - 32). Each half of 128
 * weights takes 64 ql and 32 qh bytes; byte l of them feeds weights l, l+32, l+64 and l+96.
 */
final class Q6KMatrix extends DecodedRowMatrix {
    static final int BLOCK = 256;
    static final int BLOCK_BYTES = 210;
    private static final ValueLayout.OfLong I64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(Simd.LE);

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

    /** The int8 scale i (0..7) of a half, from its eight scale bytes read as one long. */
    private static int scaleOf(long sc, int i) {
        return (byte) (sc >>> (8 * i));
    }

    /**
     * Vectorised dequantize_row_q6_K. Each half of a super-block is done by two helpers (weights
     * from the low and from the high half of ql) so that each fits C2's inlining budget on its own:
     * the Vector API costs C2 many nodes per call, and a kernel that overflows the budget gets
     * its vector helpers called out of line, boxing every vector.
     */
    @Override
    protected void decodeRowVector(long rowOff, float[] dst, int dstOff) {
        for (int sb = 0; sb < cols / BLOCK; sb++) {
            long o = rowOff + (long) sb * BLOCK_BYTES;
            float d = Simd.half(data, o + 208);
            // The 16 int8 scales, read once: scalar segment reads in the loop cost more than the vectors.
            long sc07 = data.get(I64_LE, o + 192);
            long sc815 = data.get(I64_LE, o + 200);
            for (int n = 0; n < 2; n++) {
                int y = dstOff + sb * BLOCK + 128 * n;
                long sc = n == 0 ? sc07 : sc815;
                decodeFromLowQl(o, d, n, sc, dst, y);
                decodeFromHighQl(o, d, n, sc, dst, y);
            }
        }
    }

    /** Weights l and l+64 of half n (from ql bytes l, their qh bits 0-1 and 4-5), as (d*sc)*(q-32). */
    private void decodeFromLowQl(long o, float d, int n, long sc, float[] dst, int y) {
        long ql = o + 64L * n;
        long qh = o + 128 + 32L * n;
        for (int l = 0; l < 32; l += L) {
            int is = l / 16;
            float s1 = d * scaleOf(sc, is), s3 = d * scaleOf(sc, is + 4);
            IntVector a = Simd.bytesToInts(data, ql + l);
            IntVector h = Simd.bytesToInts(data, qh + l);
            IntVector q1 = a.and(0xF).or(h.and(3).lanewise(VectorOperators.LSHL, 4));
            IntVector q3 = a.lanewise(VectorOperators.ASHR, 4).and(0xF).or(h.and(0x30));
            Simd.toFloats(q1.sub(32)).mul(s1).intoArray(dst, y + l);
            Simd.toFloats(q3.sub(32)).mul(s3).intoArray(dst, y + 64 + l);
        }
    }

    /** Weights l+32 and l+96 of half n (from ql bytes l+32, their qh bits 2-3 and 6-7). */
    private void decodeFromHighQl(long o, float d, int n, long sc, float[] dst, int y) {
        long ql = o + 64L * n + 32;
        long qh = o + 128 + 32L * n;
        for (int l = 0; l < 32; l += L) {
            int is = l / 16;
            float s2 = d * scaleOf(sc, is + 2), s4 = d * scaleOf(sc, is + 6);
            IntVector b = Simd.bytesToInts(data, ql + l);
            IntVector h = Simd.bytesToInts(data, qh + l);
            IntVector q2 = b.and(0xF).or(h.and(0xC).lanewise(VectorOperators.LSHL, 2));
            IntVector q4 = b.lanewise(VectorOperators.ASHR, 4).and(0xF).or(h.lanewise(VectorOperators.ASHR, 2).and(0x30));
            Simd.toFloats(q2.sub(32)).mul(s2).intoArray(dst, y + 32 + l);
            Simd.toFloats(q4.sub(32)).mul(s4).intoArray(dst, y + 96 + l);
        }
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
