package io.jynamo.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ExpfTest {
    @Test
    void vectorAndScalarGiveTheSameBits() {
        Random r = new Random(21);
        int lanes = Kernels.F.length();
        float[] x = new float[lanes];
        float[] y = new float[lanes];
        for (int round = 0; round < 20_000; round++) {
            for (int i = 0; i < lanes; i++) {
                x[i] = switch (r.nextInt(4)) {
                    case 0 -> (float) (r.nextGaussian() * 5);
                    case 1 -> (float) (r.nextDouble() * 220 - 120);
                    case 2 -> Float.intBitsToFloat(r.nextInt());
                    default -> (float) (r.nextDouble() * 1e-3);
                };
            }
            Expf.exp(FloatVector.fromArray(Kernels.F, x, 0)).intoArray(y, 0);
            for (int i = 0; i < lanes; i++) {
                assertEquals(Float.floatToIntBits(Expf.exp(x[i])), Float.floatToIntBits(y[i]), "exp(" + x[i] + ")");
            }
        }
    }

    @Test
    void theInPlaceLoopGivesTheSameBitsAsTheScalarFormAndSumsThemByLane() {
        Random r = new Random(22);
        int lanes = Kernels.F.length();
        for (int n : new int[] {lanes, 3 * lanes, 64 * lanes}) {
            float[] x = new float[n + 2];
            for (int i = 0; i < x.length; i++) {
                x[i] = switch (r.nextInt(4)) {
                    case 0 -> (float) (r.nextGaussian() * 5);
                    case 1 -> (float) (r.nextDouble() * 220 - 120);
                    case 2 -> r.nextBoolean() ? Float.NEGATIVE_INFINITY : 300f;
                    default -> (float) (r.nextDouble() * 1e-3);
                };
            }
            float[] y = x.clone();
            float shift = 3.5f;
            double[] sums = new double[lanes / 2];
            sums[0] = 1;  // added to, not overwritten
            Expf.expInPlace(y, 1, n, shift, sums);
            double[] expected = new double[lanes / 2];
            expected[0] = 1;
            for (int i = 0; i < n; i++) {
                float e = Expf.exp(x[1 + i] - shift);
                assertEquals(Float.floatToIntBits(e), Float.floatToIntBits(y[1 + i]), "exp(" + x[1 + i] + " - " + shift + "), n=" + n);
                expected[i % lanes % (lanes / 2)] += e;
            }
            assertEquals(x[0], y[0]);
            assertEquals(x[n + 1], y[n + 1]);
            for (int l = 0; l < lanes / 2; l++) {
                assertEquals(expected[l], sums[l], Math.abs(expected[l]) * 1e-12, "lane " + l + ", n=" + n);
            }
        }
    }

    @Test
    void withinThreeUlpsOfTheTrueValue() {
        for (float x = -103f; x < 88.7f; x += 0.000731f) {
            double exact = Math.exp(x);
            float got = Expf.exp(x);
            double ulp = Math.ulp((float) exact);
            assertTrue(Math.abs(got - exact) <= 3 * ulp, "exp(" + x + ") = " + got + ", exact " + exact);
        }
    }

    @Test
    void edgesSaturate() {
        assertEquals(0f, Expf.exp(Float.NEGATIVE_INFINITY));
        assertEquals(0f, Expf.exp(-200f));
        assertEquals(Float.POSITIVE_INFINITY, Expf.exp(Float.POSITIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, Expf.exp(100f));
        assertTrue(Float.isNaN(Expf.exp(Float.NaN)));
        assertEquals(1f, Expf.exp(0f));
        assertEquals(1f, Expf.exp(-0f));
    }
}
