package io.jynamo.engine.tensor;

import io.jynamo.engine.GgmlType;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jynamo.engine.EngineException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Golden blocks built by hand from ggml's layouts, and round-trip error bounds. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QuantizerTest {

    @Test
    void decodesAHandBuiltQ8_0Block() {
        // d = 0.5 (f16 0x3800); q = 1, -2, 127, -128, then zeros.
        String hex = "0038" + "01fe7f80" + "00".repeat(28);
        float[] got = decode(GgmlType.Q8_0, hex, 32);
        assertArrayEquals(new float[] {0.5f, -1f, 63.5f, -64f}, java.util.Arrays.copyOf(got, 4));
        assertEquals(0f, got[31]);
    }

    @Test
    void decodesAHandBuiltQ4_0Block() {
        // d = 2 (0x4000). Byte 0 = 0x9F: weight 0 = (15-8)*2, weight 16 = (9-8)*2.
        // Byte 1 = 0x08: weight 1 = 0, weight 17 = (0-8)*2. Other bytes 0x88: zeros.
        String hex = "0040" + "9f08" + "88".repeat(14);
        float[] got = decode(GgmlType.Q4_0, hex, 32);
        float[] want = new float[32];
        want[0] = 14;
        want[16] = 2;
        want[17] = -16;
        assertArrayEquals(want, got);
    }

    @Test
    void decodesAHandBuiltQ4_KBlock() {
        int[] ls = {1, 2, 3, 4, 17, 33, 50, 63};
        int[] lm = {0, 1, 2, 3, 20, 40, 5, 63};
        // d = 1 (0x3c00), dmin = 0.5 (0x3800), the 6-bit fields packed per ggml (computed by hand
        // from its layout), then in each 64-weight group byte l = (l % 16) | (15 - l % 16) << 4.
        StringBuilder hex = new StringBuilder("003c0038" + "4182c3c4408102c3418152ff");
        for (int g = 0; g < 4; g++) {
            for (int l = 0; l < 32; l++) {
                hex.append(String.format("%02x", (l % 16) | ((15 - l % 16) << 4)));
            }
        }
        float[] got = decode(GgmlType.Q4_K, hex.toString(), 256);
        for (int e = 0; e < 256; e++) {
            int within = e % 64;
            int sub = 2 * (e / 64) + (within >= 32 ? 1 : 0);
            int l = within % 32;
            int q = within < 32 ? l % 16 : 15 - l % 16;
            assertEquals(1f * ls[sub] * q - 0.5f * lm[sub], got[e], "weight " + e);
        }
    }

    @Test
    void decodesAHandBuiltQ6_KBlock() {
        // q6 of weight i is i % 64; scales 1,-1,2,-2,...,127,-128; d = 0.25 (0x3400). Packed by hand
        // from ggml's layout: ql holds low nibbles of (l, l+64) and (l+32, l+96), qh the top 2 bits.
        String half = "00112233445566778899aabbccddeeff".repeat(4);
        String qh = "88".repeat(16) + "dd".repeat(16);
        String hex = half + half + qh + qh + "01ff02fe03fd04fc05fb06fa07f97f80" + "0034";
        int[] sc = {1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6, 7, -7, 127, -128};
        float[] got = decode(GgmlType.Q6_K, hex, 256);
        for (int i = 0; i < 256; i++) {
            assertEquals(0.25f * sc[i / 16] * (i % 64 - 32), got[i], "weight " + i);
        }
    }

    private static float[] decode(GgmlType type, String hex, int n) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        assertEquals(type.byteSize(n), bytes.length);
        float[] viaQuantizer = Quantizer.dequantizeRow(type, bytes, 0, n);
        float[] viaMatrix = new float[n];
        WeightMatrix.of(type, TestData.segment(bytes, false), 1, n).dequantizeRow(0, viaMatrix, 0);
        assertArrayEquals(viaQuantizer, viaMatrix);
        return viaQuantizer;
    }

    @Test
    void encodesQ8_0AsGgmlsReference() {
        float[] x = new float[32];
        x[0] = -2.54f;
        x[1] = 1.27f;
        x[2] = 0.01f * 2.5f; // x/d = 1.25 -> 1
        x[3] = -0.03f;       // x/d = -1.5 -> roundf gives -2 (half away from zero)
        byte[] b = encode(GgmlType.Q8_0, x);
        float d = -2.54f / -127f;
        assertEquals(Float.floatToFloat16(Math.abs(x[0]) / 127f), (short) ((b[0] & 0xff) | (b[1] << 8)));
        assertEquals(-127, b[2]);
        assertEquals(Math.round(1.27f / d), b[3]);
        assertEquals(1, b[4]);
        assertEquals(-2, b[5]);
    }

    @Test
    void encodesQ4_0AsGgmlsReference() {
        float[] x = new float[32];
        x[0] = 4f;   // largest magnitude: d = 4 / -8 = -0.5, stores nibble 0
        x[1] = -4f;  // x/d = 8 -> 16.5 truncates to 16, capped at 15
        x[16] = 1f;  // x/d = -2 -> 6
        byte[] b = encode(GgmlType.Q4_0, x);
        assertEquals(Float.floatToFloat16(-0.5f), (short) ((b[0] & 0xff) | (b[1] << 8)));
        assertEquals(0x60, b[2] & 0xff);
        assertEquals(0x8f, b[3] & 0xff);
        assertEquals(0x88, b[4] & 0xff);
    }

    @Test
    void roundTripErrorsStayWithinEachFormatsBounds() {
        Random rnd = new Random(42);
        float[] x = TestData.gaussian(rnd, 4096, 1f);
        assertTrue(rmsError(GgmlType.F32, x) == 0);
        assertTrue(rmsError(GgmlType.F16, x) < 3e-4);
        assertTrue(rmsError(GgmlType.BF16, x) < 3e-3);
        assertTrue(rmsError(GgmlType.Q8_0, x) < 0.01);
        assertTrue(rmsError(GgmlType.Q6_K, x) < 0.04);
        assertTrue(rmsError(GgmlType.Q4_0, x) < 0.15);
        assertTrue(rmsError(GgmlType.Q4_K, x) < 0.15);
    }

    @Test
    void q8_0AndQ4_0ErrorsStayWithinHalfAStepPerBlock() {
        float[] x = TestData.gaussian(new Random(7), 1024, 3f);
        float[] q8 = Quantizer.dequantizeRow(GgmlType.Q8_0, encode(GgmlType.Q8_0, x), 0, x.length);
        float[] q4 = Quantizer.dequantizeRow(GgmlType.Q4_0, encode(GgmlType.Q4_0, x), 0, x.length);
        for (int b = 0; b < x.length; b += 32) {
            float amax = 0;
            for (int j = 0; j < 32; j++) {
                amax = Math.max(amax, Math.abs(x[b + j]));
            }
            for (int j = 0; j < 32; j++) {
                // Half a step plus the f16 rounding of d; Q4_0 loses a whole step at +8 (capped at 15).
                assertTrue(Math.abs(q8[b + j] - x[b + j]) <= amax / 127 * 0.57f, "q8_0 at " + (b + j));
                assertTrue(Math.abs(q4[b + j] - x[b + j]) <= amax / 8 * 1.01f, "q4_0 at " + (b + j));
            }
        }
    }

    @Test
    void kQuantsKeepZerosAndConstantBlocksSensible() {
        float[] zeros = new float[256];
        // An all-zero Q6_K block decodes to -0.0 (0 * (0 - 32)), as in ggml; equal within 0.
        assertArrayEquals(zeros, Quantizer.dequantizeRow(GgmlType.Q4_K, encode(GgmlType.Q4_K, zeros), 0, 256), 0f);
        assertArrayEquals(zeros, Quantizer.dequantizeRow(GgmlType.Q6_K, encode(GgmlType.Q6_K, zeros), 0, 256), 0f);
        float[] ramp = new float[256];
        for (int i = 0; i < 256; i++) {
            ramp[i] = (i - 128) / 64f;
        }
        float[] q6 = Quantizer.dequantizeRow(GgmlType.Q6_K, encode(GgmlType.Q6_K, ramp), 0, 256);
        float[] q4 = Quantizer.dequantizeRow(GgmlType.Q4_K, encode(GgmlType.Q4_K, ramp), 0, 256);
        for (int i = 0; i < 256; i++) {
            assertEquals(ramp[i], q6[i], 0.035f, "q6_K at " + i); // half a step of 2/32
            // Q4_K's offset can only lower values, so an all-positive sub-block spans [0, 2): a
            // step of 2/15.
            assertEquals(ramp[i], q4[i], 0.07f, "q4_K at " + i);
        }
    }

    @Test
    void halfPrecisionEncodingsRoundToNearestEven() {
        byte[] f16 = encode(GgmlType.F16, new float[] {1 + 0x1p-11f, 65520f});
        assertEquals(0x3c00, (f16[0] & 0xff) | ((f16[1] & 0xff) << 8));
        assertEquals(0x7c00, (f16[2] & 0xff) | ((f16[3] & 0xff) << 8));
        byte[] bf16 = encode(GgmlType.BF16, new float[] {1 + 0x1p-8f, 1 + 0x1p-7f + 0x1p-8f});
        assertEquals(0x3f80, (bf16[0] & 0xff) | ((bf16[1] & 0xff) << 8));
        assertEquals(0x3f82, (bf16[2] & 0xff) | ((bf16[3] & 0xff) << 8));
    }

    @Test
    void badArgumentsFailWithEngineExceptions() {
        assertThrows(EngineException.class, () -> encode(GgmlType.Q8_0, new float[33]));
        assertThrows(EngineException.class, () -> Quantizer.quantizeRow(GgmlType.Q8_0, new float[32], 0, 32, ByteBuffer.allocate(33)));
        assertThrows(EngineException.class, () -> Quantizer.quantizeRow(GgmlType.F32, new float[4], 2, 4, ByteBuffer.allocate(16)));
        assertThrows(EngineException.class, () -> Quantizer.dequantizeRow(GgmlType.Q4_0, new byte[17], 0, 32));
    }

    private static byte[] encode(GgmlType type, float[] x) {
        ByteBuffer buf = ByteBuffer.allocate((int) type.byteSize(x.length));
        Quantizer.quantizeRow(type, x, 0, x.length, buf);
        assertEquals(0, buf.remaining());
        return buf.array();
    }

    private static double rmsError(GgmlType type, float[] x) {
        float[] y = Quantizer.dequantizeRow(type, encode(type, x), 0, x.length);
        double se = 0, ss = 0;
        for (int i = 0; i < x.length; i++) {
            se += (x[i] - y[i]) * (double) (x[i] - y[i]);
            ss += x[i] * (double) x[i];
        }
        return Math.sqrt(se / ss);
    }
}
