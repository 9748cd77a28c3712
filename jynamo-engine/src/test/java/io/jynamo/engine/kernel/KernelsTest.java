package io.jynamo.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each vector kernel against its scalar twin on random data of many lengths, and the twins against the math. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KernelsTest {
    /** Lengths below, at and around multiples of any vector length, and model sizes. */
    private static final int[] LENGTHS = lengths();

    private static int[] lengths() {
        int[] extra = {63, 64, 65, 127, 128, 129, 255, 256, 257, 1000, 2048, 2051, 4099};
        int[] all = new int[40 + extra.length];
        for (int i = 0; i < 40; i++) {
            all[i] = i + 1;
        }
        System.arraycopy(extra, 0, all, 40, extra.length);
        return all;
    }

    @Test
    void rmsnormMatchesItsTwinAndTheFormula() {
        Random r = new Random(11);
        for (int n : LENGTHS) {
            float[] x = gaussian(r, n + 3, 3);
            float[] w = gaussian(r, n + 2, 1);
            float[] vec = new float[n + 5];
            float[] ref = new float[n + 5];
            Kernels.rmsnorm(vec, 5, x, 3, w, 2, n, 1e-5f);
            Kernels.rmsnormScalar(ref, 5, x, 3, w, 2, n, 1e-5f);
            assertClose(ref, vec, 2e-7f, "rmsnorm n=" + n);
            double ss = 0;
            for (int i = 0; i < n; i++) {
                ss += (double) x[3 + i] * x[3 + i];
            }
            double s = 1 / Math.sqrt(ss / n + 1e-5);
            for (int i = 0; i < n; i++) {
                assertEquals(x[3 + i] * s * w[2 + i], ref[5 + i], 1e-6 * Math.abs(x[3 + i] * s * w[2 + i]) + 1e-30,
                        "rmsnorm formula n=" + n + " i=" + i);
            }
        }
    }

    @Test
    void rmsnormWorksInPlace() {
        Random r = new Random(12);
        float[] x = gaussian(r, 300, 1);
        float[] w = gaussian(r, 300, 1);
        float[] expected = new float[300];
        Kernels.rmsnormScalar(expected, 0, x, 0, w, 0, 300, 1e-6f);
        Kernels.rmsnorm(x, 0, x, 0, w, 0, 300, 1e-6f);
        assertClose(expected, x, 2e-7f, "in place");
    }

    @Test
    void siluMulMatchesItsTwinAndTheFormula() {
        Random r = new Random(13);
        for (int n : LENGTHS) {
            float[] gate = gaussian(r, n + 1, 4);
            float[] up = gaussian(r, n + 4, 1);
            float[] vec = gate.clone();
            float[] ref = gate.clone();
            Kernels.siluMul(vec, 1, up, 4, n);
            Kernels.siluMulScalar(ref, 1, up, 4, n);
            assertClose(ref, vec, 1e-6f, "siluMul n=" + n);
            for (int i = 0; i < n; i++) {
                double g = gate[1 + i];
                double expected = g / (1 + Math.exp(-g)) * up[4 + i];
                assertEquals(expected, ref[1 + i], 1e-6 * Math.abs(expected) + 1e-30, "silu formula i=" + i);
            }
            assertEquals(gate[0], vec[0], "wrote before the range");
        }
        float[] extreme = {-100f, 100f, 0f, -0f, 88.8f, -88.8f};
        float[] ones = {1, 1, 1, 1, 1, 1};
        Kernels.siluMulScalar(extreme, 0, ones, 0, 6);
        assertArrayEquals(new float[] {-0f, 100f, 0f, -0f, 88.8f, -0f}, extreme, 1e-30f);
    }

    @Test
    void addMulScaleMatchTheirTwinsExactly() {
        Random r = new Random(14);
        for (int n : LENGTHS) {
            float[] a = gaussian(r, n + 2, 1);
            float[] b = gaussian(r, n + 7, 1);
            float[] vec = a.clone();
            float[] ref = a.clone();
            Kernels.add(vec, 2, b, 7, n);
            Kernels.addScalar(ref, 2, b, 7, n);
            assertArrayEquals(ref, vec, "add n=" + n);
            assertEquals(a[2] + b[7], ref[2]);
            Kernels.mul(vec, 2, b, 7, n);
            Kernels.mulScalar(ref, 2, b, 7, n);
            assertArrayEquals(ref, vec, "mul n=" + n);
            Kernels.scale(vec, 1, n, 0.37f);
            Kernels.scaleScalar(ref, 1, n, 0.37f);
            assertArrayEquals(ref, vec, "scale n=" + n);
            assertEquals(a[0], vec[0]);
        }
    }

    @Test
    void dotMatchesItsTwinAndDouble() {
        Random r = new Random(15);
        for (int n : LENGTHS) {
            float[] a = gaussian(r, n + 3, 1);
            float[] b = gaussian(r, n + 1, 1);
            double exact = 0;
            double magnitude = 0;
            for (int i = 0; i < n; i++) {
                exact += (double) a[3 + i] * b[1 + i];
                magnitude += Math.abs((double) a[3 + i] * b[1 + i]);
            }
            double tol = 1e-6 * magnitude * Math.sqrt(n) + 1e-30;
            assertEquals(exact, Kernels.dot(a, 3, b, 1, n), tol, "dot n=" + n);
            assertEquals(exact, Kernels.dotScalar(a, 3, b, 1, n), tol, "dotScalar n=" + n);
        }
    }

    @Test
    void softmaxMatchesItsTwinAndTheFormula() {
        Random r = new Random(16);
        for (int n : LENGTHS) {
            float[] x = gaussian(r, n + 2, 5);
            x[2 + r.nextInt(n)] = 40f;  // one dominant score: max subtraction keeps exp finite
            float[] vec = x.clone();
            float[] ref = x.clone();
            Kernels.softmax(vec, 2, n);
            Kernels.softmaxScalar(ref, 2, n);
            assertClose(ref, vec, 2e-6f, "softmax n=" + n);
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                max = Math.max(max, x[2 + i]);
            }
            // the difference x - max is taken in float, as the kernels do; the rest in double
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += Math.exp(x[2 + i] - (float) max);
            }
            double total = 0;
            for (int i = 0; i < n; i++) {
                double expected = Math.exp(x[2 + i] - (float) max) / sum;
                assertEquals(expected, ref[2 + i], 1e-6 * expected + 1e-38, "softmax formula n=" + n);
                total += vec[2 + i];
            }
            assertEquals(1.0, total, 1e-5, "softmax sums to one, n=" + n);
            assertEquals(x[1], vec[1]);
        }
    }

    @Test
    void softmaxOfHugeScoresDoesNotOverflow() {
        float[] x = {1000f, 1000f, -1000f};
        Kernels.softmax(x, 0, 3);
        assertArrayEquals(new float[] {0.5f, 0.5f, 0f}, x);
    }

    static float[] gaussian(Random r, int n, double sigma) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian() * sigma);
        }
        return x;
    }

    /** |expected - actual| <= relTol * |expected| (plus a tiny absolute slack), element by element. */
    static void assertClose(float[] expected, float[] actual, float relTol, String what) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            float tol = relTol * Math.abs(expected[i]) + 1e-30f;
            assertTrue(Math.abs(expected[i] - actual[i]) <= tol,
                    what + ": at " + i + " expected " + expected[i] + " got " + actual[i]);
        }
    }
}
