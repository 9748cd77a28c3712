package io.jynamo.testkit;

import java.util.SplittableRandom;

/**
 * Deterministic random values per (seed, tensor, row), so any row can be produced on its own and
 * a file never needs a whole tensor in memory. Norm weights (1 + k/128) and biases (k/1024) have few
 * significant bits, exact in F16 and BF16, so every container holds the very same values.
 */
final class RandomWeights {
    private final long seed;
    private final float std;

    RandomWeights(long seed, float std) {
        this.seed = seed;
        this.std = std;
    }

    /** Row {@code row} of {@code plan} in Hugging Face order. */
    void row(TensorPlan plan, int row, float[] dst) {
        SplittableRandom rnd = new SplittableRandom(mix(seed, plan.hfName().hashCode(), row));
        int n = plan.cols();
        switch (plan.kind()) {
            case MATRIX -> {
                // Uniform on [-a, a] has standard deviation a / sqrt(3).
                double a = std * Math.sqrt(3.0);
                for (int i = 0; i < n; i++) {
                    dst[i] = (float) ((rnd.nextDouble() * 2 - 1) * a);
                }
            }
            case NORM -> {
                for (int i = 0; i < n; i++) {
                    dst[i] = 1f + (rnd.nextInt(17) - 8) / 128f;
                }
            }
            case BIAS -> {
                for (int i = 0; i < n; i++) {
                    dst[i] = (rnd.nextInt(129) - 64) / 1024f;
                }
            }
        }
    }

    private static long mix(long seed, int name, int row) {
        long h = seed * 0x9E3779B97F4A7C15L + name;
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + row;
        return h ^ (h >>> 29);
    }
}
