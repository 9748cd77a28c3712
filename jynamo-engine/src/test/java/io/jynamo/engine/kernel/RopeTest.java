package io.jynamo.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jynamo.api.ErrorCategory;
import io.jynamo.engine.EngineException;
import io.jynamo.engine.kernel.Rope.Style;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RopeTest {
    private static final int[] POSITIONS = {0, 1, 2, 3, 7, 100, 1023, 1024, 1500, 2047};

    @Test
    void normalRotatesAdjacentPairsAsTheDoubleFormula() {
        checkAgainstFormula(Style.NORMAL, 64, 10000, null);
        checkAgainstFormula(Style.NORMAL, 128, 500000, null);
    }

    @Test
    void neoxRotatesHalvesAsTheDoubleFormula() {
        checkAgainstFormula(Style.NEOX, 64, 10000, null);
        checkAgainstFormula(Style.NEOX, 128, 1000000, null);
        checkAgainstFormula(Style.NEOX, 80, 10000, null);
    }

    @Test
    void freqFactorsDivideEachPairsFrequency() {
        Random r = new Random(3);
        float[] factors = new float[64];
        for (int i = 0; i < 64; i++) {
            factors[i] = 1 + r.nextInt(32) * 0.25f;  // llama3 factors run from 1 to 32
        }
        checkAgainstFormula(Style.NORMAL, 128, 500000, factors);
        checkAgainstFormula(Style.NEOX, 128, 500000, factors);
    }

    /**
     * Rotation by theta_i = pos * base^(-2i/d) / ff[i] in double. The kernel takes ggml's float angle
     * (a running float product), so the bound grows with the angle and the pair index.
     */
    private static void checkAgainstFormula(Style style, int d, double base, float[] ff) {
        int heads = 3;
        Rope rope = new Rope(d, 4096, base, ff);
        Random r = new Random(d * 31L + (long) base);
        for (int pos : POSITIONS) {
            float[] x = KernelsTest.gaussian(r, heads * d + 2, 1);
            float[] y = x.clone();
            rope.apply(y, 2, heads, pos, style);
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < d / 2; i++) {
                    int a = 2 + h * d + (style == Style.NORMAL ? 2 * i : i);
                    int b = style == Style.NORMAL ? a + 1 : a + d / 2;
                    double theta = pos * Math.pow(base, -2.0 * i / d) / (ff == null ? 1 : ff[i]);
                    double e0 = x[a] * Math.cos(theta) - x[b] * Math.sin(theta);
                    double e1 = x[a] * Math.sin(theta) + x[b] * Math.cos(theta);
                    double angleError = theta * (2 * i + 4) * 0x1p-24 + Math.ulp((float) theta);
                    double tol = (Math.abs(x[a]) + Math.abs(x[b])) * (angleError + 1e-6) + 1e-7;
                    String where = style + " d=" + d + " pos=" + pos + " head=" + h + " pair=" + i;
                    assertEquals(e0, y[a], tol, where);
                    assertEquals(e1, y[b], tol, where);
                }
            }
            assertEquals(x[0], y[0]);
            assertEquals(x[1], y[1]);
        }
    }

    @Test
    void positionZeroIsTheIdentity() {
        Rope rope = new Rope(64, 8, 10000, null);
        float[] x = KernelsTest.gaussian(new Random(5), 128, 1);
        float[] y = x.clone();
        rope.apply(y, 0, 2, 0, Style.NEOX);
        assertArrayEquals(x, y);
        rope.apply(y, 0, 2, 0, Style.NORMAL);
        assertArrayEquals(x, y);
    }

    @Test
    void vectorApplyEqualsScalarTwinExactly() {
        Random r = new Random(6);
        for (int d = 2; d <= 256; d += 2) {
            Rope rope = new Rope(d, 3000, 10000 + d, null);
            for (Style style : Style.values()) {
                for (int pos : new int[] {0, 5, 999, 2999}) {
                    float[] x = KernelsTest.gaussian(r, 3 * d + 1, 2);
                    float[] vec = x.clone();
                    float[] ref = x.clone();
                    rope.apply(vec, 1, 3, pos, style);
                    rope.applyScalar(ref, 1, 3, pos, style);
                    assertArrayEquals(ref, vec, style + " d=" + d + " pos=" + pos);
                }
            }
        }
    }

    /**
     * llama.cpp's converter permutes each head's q/k rows from Hugging Face order so that row 2i
     * holds HF row i and row 2i+1 holds HF row i + d/2 (reshape (2, d/2) -> swap -> (d/2, 2)).
     * NORMAL rope on the permuted vector must equal the permuted NEOX rope of the original.
     */
    @Test
    void normalOnConverterPermutedRowsEqualsNeoxOnHuggingFaceRows() {
        Random r = new Random(7);
        int d = 64;
        int heads = 4;
        float[] ff = new float[d / 2];
        for (int i = 0; i < d / 2; i++) {
            ff[i] = 1 + i % 5;
        }
        for (float[] factors : new float[][] {null, ff}) {
            Rope rope = new Rope(d, 2048, 500000, factors);
            for (int pos : POSITIONS) {
                float[] hf = KernelsTest.gaussian(r, heads * d, 1);
                float[] gguf = permute(hf, heads, d);
                rope.apply(hf, 0, heads, pos, Style.NEOX);
                rope.apply(gguf, 0, heads, pos, Style.NORMAL);
                assertArrayEquals(permute(hf, heads, d), gguf, "pos " + pos);
            }
        }
    }

    private static float[] permute(float[] hf, int heads, int d) {
        float[] out = new float[hf.length];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < d / 2; i++) {
                out[h * d + 2 * i] = hf[h * d + i];
                out[h * d + 2 * i + 1] = hf[h * d + d / 2 + i];
            }
        }
        return out;
    }

    @Test
    void rotationKeepsEachPairsLength() {
        Rope rope = new Rope(32, 10000, 10000, null);
        Random r = new Random(8);
        for (int pos = 0; pos < 10000; pos += 997) {
            float[] x = KernelsTest.gaussian(r, 32, 1);
            float[] y = x.clone();
            rope.apply(y, 0, 1, pos, Style.NEOX);
            for (int i = 0; i < 16; i++) {
                double before = Math.hypot(x[i], x[i + 16]);
                double after = Math.hypot(y[i], y[i + 16]);
                assertEquals(before, after, 1e-6 * before + 1e-7);
            }
        }
    }

    @Test
    void growingTheTableGivesTheSameRowsAsAFreshTable() {
        Rope grown = new Rope(64, 100_000, 10000, null);
        Random r = new Random(9);
        float[] x = KernelsTest.gaussian(r, 64, 1);
        for (int pos : new int[] {5, 5000, 1500, 99_999, 70_000}) {
            float[] a = x.clone();
            float[] b = x.clone();
            grown.apply(a, 0, 1, pos, Style.NORMAL);
            new Rope(64, pos + 1, 10000, null).apply(b, 0, 1, pos, Style.NORMAL);
            assertArrayEquals(b, a, "pos " + pos);
        }
    }

    @Test
    void growsSafelyUnderConcurrentUse() throws InterruptedException {
        Rope rope = new Rope(64, 50_000, 10000, null);
        Rope reference = new Rope(64, 50_000, 10000, null);
        float[] x = KernelsTest.gaussian(new Random(10), 64, 1);
        Throwable[] failure = new Throwable[1];
        Thread[] threads = new Thread[2];
        for (int t = 0; t < threads.length; t++) {
            int start = t;
            threads[t] = new Thread(() -> {
                try {
                    for (int pos = start; pos < 50_000; pos += 37) {
                        float[] a = x.clone();
                        rope.apply(a, 0, 1, pos, Style.NEOX);
                        float[] b = x.clone();
                        synchronized (reference) {
                            reference.applyScalar(b, 0, 1, pos, Style.NEOX);
                        }
                        assertArrayEquals(b, a, "pos " + pos);
                    }
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure[0] != null) {
            throw new AssertionError(failure[0]);
        }
    }

    @Test
    void rejectsBadGeometryAndPositions() {
        assertEquals(ErrorCategory.BAD_REQUEST, assertThrows(EngineException.class, () -> new Rope(63, 10, 1e4, null)).category());
        assertThrows(EngineException.class, () -> new Rope(64, 0, 1e4, null));
        assertThrows(EngineException.class, () -> new Rope(64, 10, 0, null));
        assertThrows(EngineException.class, () -> new Rope(64, 10, Double.NaN, null));
        assertThrows(EngineException.class, () -> new Rope(64, 10, 1e4, new float[31]));
        float[] zeroFactor = new float[32];
        java.util.Arrays.fill(zeroFactor, 1f);
        zeroFactor[3] = 0f;
        EngineException e = assertThrows(EngineException.class, () -> new Rope(64, 10, 1e4, zeroFactor));
        assertTrue(e.getMessage().contains("rope_freqs[3]"), e.getMessage());
        Rope rope = new Rope(64, 10, 1e4, null);
        float[] x = new float[64];
        assertThrows(EngineException.class, () -> rope.apply(x, 0, 1, 10, Style.NEOX));
        assertThrows(EngineException.class, () -> rope.apply(x, 0, 1, -1, Style.NORMAL));
    }
}
