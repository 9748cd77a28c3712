package io.jynamo.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jynamo.engine.EngineException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Expected values derived by hand from llama.cpp's CPU quantisers (x86 q8_0, reference q8_K). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ActivationFormatTest {

    @Test
    void q8_0UsesAmaxOver127AndRoundsHalfToEven() {
        float[] x = new float[32];
        float[] v = {127f, -63.5f, 0.5f, 1.5f, 2.5f, -0.5f, 3.49f};
        System.arraycopy(v, 0, x, 0, v.length);
        float[] y = round(ActivationFormat.Q8_0, x);
        // amax = 127 so the multiplier is 1 and d = 1 exactly; ties go to even (roundf would not).
        assertArrayEquals(new float[] {127f, -64f, 0f, 2f, 2f, 0f, 3f}, Arrays.copyOf(y, 7));
    }

    @Test
    void q8_0ValuesAreMultiplesOfTheF16Scale() {
        float[] x = new float[32];
        x[0] = 1f;
        x[1] = -0.5f;
        float[] y = round(ActivationFormat.Q8_0, x);
        // d = 1/127 becomes f16 1032 * 2^-17; q = 127 and round(-63.5) = -64.
        assertEquals(127 * 1032 * 0x1p-17f, y[0]);
        assertEquals(-64 * 1032 * 0x1p-17f, y[1]);
        assertEquals(0f, y[2]);
    }

    @Test
    void q8_KTakesItsScaleFromTheSignedLargestValue() {
        float[] x = new float[512];
        x[0] = 1f;      // 63.5 -> 64 (half to even)
        x[1] = -2f;     // the largest magnitude: iscale = -127 / -2 = 63.5
        x[2] = 0.25f;   // 15.875 -> 16
        x[3] = -1f;     // -63.5 -> -64
        x[256] = 2f;    // second block: the largest is positive, iscale = -31.75, d < 0
        x[257] = 4f;
        x[258] = -4f;
        float[] y = round(ActivationFormat.Q8_K, x);
        float d1 = 1 / 63.5f;
        assertArrayEquals(new float[] {64 * d1, -127 * d1, 16 * d1, -64 * d1, 0}, Arrays.copyOf(y, 5));
        float d2 = 1 / (-127f / 4f);
        assertEquals(-64 * d2, y[256]);
        assertEquals(-127 * d2, y[257]);
        assertEquals(127 * d2, y[258]);
        assertTrue(d2 < 0);
    }

    @Test
    void q8_KOfZerosIsZeros() {
        assertArrayEquals(new float[256], round(ActivationFormat.Q8_K, new float[256]));
    }

    @Test
    void f16RoundsToNearestEvenIncludingSubnormalsAndOverflow() {
        float[] x = {1 + 0x1p-11f, 1 + 0x1p-10f + 0x1p-11f, 0x1p-24f, 0x1p-25f, 3 * 0x1p-26f, 65519f, 65520f, -0f};
        float[] want = {1f, 1 + 0x1p-9f, 0x1p-24f, 0f, 0x1p-24f, 65504f, Float.POSITIVE_INFINITY, -0f};
        assertArrayEquals(want, round(ActivationFormat.F16, x));
    }

    @Test
    void bf16RoundsToNearestEvenAndKeepsNaN() {
        float[] x = {1 + 0x1p-8f, 1 + 0x1p-7f + 0x1p-8f, 1 + 0x1p-8f + 0x1p-20f, Float.MAX_VALUE, 1e-40f, Float.NaN};
        float[] y = round(ActivationFormat.BF16, x);
        assertEquals(1f, y[0]);
        assertEquals(1 + 0x1p-6f, y[1]);
        assertEquals(1 + 0x1p-7f, y[2]);
        assertEquals(Float.POSITIVE_INFINITY, y[3]);
        assertEquals(Float.intBitsToFloat(Float.floatToRawIntBits(1e-40f) & 0xffff0000), y[4], 0x1p-140f);
        assertTrue(Float.isNaN(y[5]));
    }

    @Test
    void f32CopiesAndOffsetsAreHonoured() {
        float[] src = {9, 1.1f, 2.2f, 9};
        float[] dst = new float[5];
        ActivationFormat.F32.round(src, 1, dst, 2, 2);
        assertArrayEquals(new float[] {0, 0, 1.1f, 2.2f, 0}, dst);
    }

    @Test
    void rowsThatAreNotWholeBlocksAreRejected() {
        assertThrows(EngineException.class, () -> ActivationFormat.Q8_0.round(new float[40], 0, new float[40], 0, 40));
        assertThrows(EngineException.class, () -> ActivationFormat.Q8_K.round(new float[288], 0, new float[288], 0, 288));
        assertThrows(EngineException.class, () -> ActivationFormat.F16.round(new float[4], 1, new float[4], 0, 4));
    }

    private static float[] round(ActivationFormat f, float[] x) {
        float[] y = new float[x.length];
        f.round(x, 0, y, 0, x.length);
        return y;
    }
}
