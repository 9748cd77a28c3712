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
 * Q4_K: super-blocks of 256 weights in 144 bytes: f16 d, f16 dmin, 12 bytes of 6-bit scales and
 * mins for eight sub-blocks of 32, then 128 bytes of nibbles. Each 64 weights share 32 bytes: the
 * low nibbles are sub-block 2g, the high nibbles sub-block 2g + 1. weight = d*sc*q - dmin*m.
 */
final class Q4KMatrix extends DecodedRowMatrix {
    static final int BLOCK = 256;
    static final int BLOCK_BYTES = 144;
    private static final ValueLayout.OfLong I64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(Simd.LE);
    private static final ValueLayout.OfInt I32_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(Simd.LE);

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
     * Vectorised dequantize_row_q4_K: d1*q - m1 per sub-block, the same two roundings as ggml. The
     * 12 scale bytes are read once as a long and an int and unpacked in registers.
     */
    @Override
    protected void decodeRowVector(long rowOff, float[] dst, int dstOff) {
        for (int sb = 0; sb < cols / BLOCK; sb++) {
            long o = rowOff + (long) sb * BLOCK_BYTES;
            float d = Simd.half(data, o);
            float dmin = Simd.half(data, o + 2);
            long b07 = data.get(I64_LE, o + 4);
            int b811 = data.get(I32_LE, o + 12);
            for (int g = 0; g < 4; g++) {
                int j = 2 * g;
                FloatVector d1 = FloatVector.broadcast(F, d * scale(b07, b811, j));
                FloatVector m1 = FloatVector.broadcast(F, dmin * min(b07, b811, j));
                FloatVector d2 = FloatVector.broadcast(F, d * scale(b07, b811, j + 1));
                FloatVector m2 = FloatVector.broadcast(F, dmin * min(b07, b811, j + 1));
                long qo = o + 16 + 32L * g;
                int y = dstOff + sb * BLOCK + 64 * g;
                for (int k = 0; k < 32; k += L) {
                    IntVector v = Simd.bytesToInts(data, qo + k);
                    Simd.toFloats(v.and(0xF)).mul(d1).sub(m1).intoArray(dst, y + k);
                    Simd.toFloats(v.lanewise(VectorOperators.ASHR, 4).and(0xF)).mul(d2).sub(m2).intoArray(dst, y + 32 + k);
                }
            }
        }
    }

    /** Scale byte i of the 12 (bytes 0-7 in {@code b07}, 8-11 in {@code b811}). */
    private static int scaleByte(long b07, int b811, int i) {
        return i < 8 ? (int) (b07 >>> (8 * i)) & 0xFF : (b811 >>> (8 * (i - 8))) & 0xFF;
    }

    /** {@link #scale(MemorySegment, long, int)} on bytes already in registers. */
    private static int scale(long b07, int b811, int j) {
        if (j < 4) {
            return scaleByte(b07, b811, j) & 63;
        }
        return (scaleByte(b07, b811, j + 4) & 0xF) | ((scaleByte(b07, b811, j - 4) >>> 6) << 4);
    }

    /** {@link #min(MemorySegment, long, int)} on bytes already in registers. */
    private static int min(long b07, int b811, int j) {
        if (j < 4) {
            return scaleByte(b07, b811, j + 4) & 63;
        }
        return (scaleByte(b07, b811, j + 4) >>> 4) | ((scaleByte(b07, b811, j) >>> 6) << 4);
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
