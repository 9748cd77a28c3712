package io.jynamo.engine.format;

import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Damages a valid file in seeded ways (cut short; a few bytes overwritten) and hands each damaged
 * copy, with a description that reproduces it, to a check.
 */
public final class CorruptionFuzz {
    /** What to do with one damaged copy. */
    @FunctionalInterface
    public interface Check {
        void accept(byte[] damaged, String what) throws IOException;
    }

    private CorruptionFuzz() {}

    /** Every length below 64, then random lengths: {@code cases} in all. */
    public static void truncations(byte[] valid, long seed, int cases, Check check) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < cases; i++) {
            int length = i < 64 ? Math.min(i, valid.length) : rnd.nextInt(valid.length + 1);
            check.accept(Arrays.copyOf(valid, length), "seed " + seed + ": truncated to " + length);
        }
    }

    /** {@code cases} copies with 1..maxBytes random bytes overwritten at random positions. */
    public static void overwrites(byte[] valid, long seed, int cases, int maxBytes, Check check) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < cases; i++) {
            byte[] b = valid.clone();
            StringBuilder what = new StringBuilder("seed " + seed + ", case " + i + ": overwrote");
            int count = 1 + rnd.nextInt(maxBytes);
            for (int j = 0; j < count; j++) {
                int pos = rnd.nextInt(b.length);
                byte value = (byte) rnd.nextInt(256);
                b[pos] = value;
                what.append(' ').append(pos).append('=').append(value);
            }
            check.accept(b, what.toString());
        }
    }
}
