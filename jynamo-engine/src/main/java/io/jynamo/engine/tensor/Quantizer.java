package io.jynamo.engine.tensor;

import io.jynamo.engine.GgmlType;
import io.jynamo.engine.EngineException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encodes float rows into ggml's weight formats (for writing GGUF files that llama.cpp reads) and
 * decodes them back with plain scalar code. Q8_0 and Q4_0 follow ggml's reference quantisers bit
 * for bit; Q4_K and Q6_K use a simple min/max scale choice (ggml searches harder) packed exactly
 * as ggml packs its 6-bit and 8-bit scale fields.
 */
public final class Quantizer {
    private Quantizer() {}

    /** Encodes src[srcOff .. srcOff+n) as one row of {@code type} into {@code dst} (little-endian, advances). */
    public static void quantizeRow(GgmlType type, float[] src, int srcOff, int n, ByteBuffer dst) {
        if (src == null || dst == null || n < 0 || srcOff < 0 || srcOff > src.length - n) {
            throw EngineException.badInput("quantising " + n + " values to " + type + " needs a source that holds them");
        }
        long bytes = type.byteSize(n);
        if (dst.remaining() < bytes) {
            throw EngineException.badInput("a " + n + "-value " + type + " row takes " + bytes + " bytes, the buffer has "
                    + dst.remaining());
        }
        ByteBuffer out = dst.order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case F32 -> { for (int i = 0; i < n; i++) out.putFloat(src[srcOff + i]); }
            case F16 -> { for (int i = 0; i < n; i++) out.putShort(Fp.toHalf(src[srcOff + i])); }
            case BF16 -> { for (int i = 0; i < n; i++) out.putShort(Fp.toBf16(src[srcOff + i])); }
            case Q8_0 -> { for (int b = 0; b < n; b += 32) KQuantizer.q8_0(src, srcOff + b, out); }
            case Q4_0 -> { for (int b = 0; b < n; b += 32) KQuantizer.q4_0(src, srcOff + b, out); }
            case Q4_K -> { for (int b = 0; b < n; b += 256) KQuantizer.q4K(src, srcOff + b, out); }
            case Q6_K -> { for (int b = 0; b < n; b += 256) KQuantizer.q6K(src, srcOff + b, out); }
        }
    }

    /** Encodes a whole [rows][cols] matrix (row-major floats) into a new byte array. */
    public static byte[] quantize(GgmlType type, float[] src, int rows, int cols) {
        if (src == null || rows < 0 || cols < 0 || (long) rows * cols > src.length) {
            throw EngineException.badInput("quantising a " + rows + "x" + cols + " matrix needs that many values");
        }
        long total = rows * type.byteSize(cols);
        if (total > Integer.MAX_VALUE - 8) {
            throw EngineException.badInput("a " + rows + "x" + cols + " " + type + " matrix is too large for one array");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows; r++) {
            quantizeRow(type, src, r * cols, cols, buf);
        }
        return buf.array();
    }

    /** Scalar decode of one row of n values of {@code type} stored at {@code src[off..]}, as ggml dequantises it. */
    public static void dequantizeRow(GgmlType type, MemorySegment src, long off, float[] dst, int dstOff, int n) {
        long bytes = type.byteSize(n);
        if (src == null || dst == null || off < 0 || off > src.byteSize() - bytes || dstOff < 0 || dstOff > dst.length - n) {
            throw EngineException.badInput("decoding " + n + " " + type + " values needs " + bytes + " bytes from offset "
                    + off + " and room for " + n + " floats");
        }
        switch (type) {
            case F32 -> { for (int i = 0; i < n; i++) dst[dstOff + i] = src.get(Simd.F32_LE, off + 4L * i); }
            case F16 -> { for (int i = 0; i < n; i++) dst[dstOff + i] = Fp.halfToFloat(src.get(Simd.I16_LE, off + 2L * i)); }
            case BF16 -> { for (int i = 0; i < n; i++) dst[dstOff + i] = Fp.bf16ToFloat(src.get(Simd.I16_LE, off + 2L * i)); }
            case Q8_0 -> Q8_0Matrix.decode(src, off, dst, dstOff, n);
            case Q4_0 -> Q4_0Matrix.decode(src, off, dst, dstOff, n);
            case Q4_K -> Q4KMatrix.decode(src, off, dst, dstOff, n);
            case Q6_K -> Q6KMatrix.decode(src, off, dst, dstOff, n);
        }
    }

    /** Convenience: decodes one row from a byte array. */
    public static float[] dequantizeRow(GgmlType type, byte[] src, int off, int n) {
        float[] out = new float[n];
        dequantizeRow(type, MemorySegment.ofArray(src), off, out, 0, n);
        return out;
    }
}
