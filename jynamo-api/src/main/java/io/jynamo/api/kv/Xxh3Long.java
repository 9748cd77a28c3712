package io.jynamo.api.kv;

import static io.jynamo.api.kv.Xxh3Input.le64;

/**
 * XXH3-64's path for inputs over 240 bytes: 8 accumulators fed 64-byte stripes, the secret advancing 8
 * bytes per stripe; every 16 stripes (a 1024-byte block) the accumulators are scrambled; the last stripe
 * is always the input's final 64 bytes, read with its own secret offset; then the accumulators are merged.
 * All secret reads go through {@link Xxh3Secret#derived}, which for seed 0 is the default secret.
 */
final class Xxh3Long {
    private static final int STRIPE = 64;
    private static final int STRIPES_PER_BLOCK = (Xxh3Secret.SIZE - STRIPE) / 8;
    private static final int BLOCK = STRIPE * STRIPES_PER_BLOCK;
    private static final int SCRAMBLE_AT = Xxh3Secret.SIZE - STRIPE;
    private static final int LAST_STRIPE_AT = Xxh3Secret.SIZE - STRIPE - 7;
    private static final int MERGE_AT = 11;

    private Xxh3Long() {}

    static long hash(byte[] bytes, int[] ints, int off, int len, long seed) {
        long[] acc = {
            Xxh3.PRIME32_3, Xxh3.PRIME64_1, Xxh3.PRIME64_2, Xxh3.PRIME64_3,
            Xxh3.PRIME64_4, Xxh3.PRIME32_2, Xxh3.PRIME64_5, Xxh3.PRIME32_1
        };
        // (len - 1): an input of whole blocks leaves its last block to the tail, which ends on the last stripe.
        int blocks = (len - 1) / BLOCK;
        for (int n = 0; n < blocks; n++) {
            for (int k = 0; k < STRIPES_PER_BLOCK; k++) {
                stripe(acc, bytes, ints, off, n * BLOCK + k * STRIPE, k * 8, seed);
            }
            scramble(acc, seed);
        }
        int tailStripes = ((len - 1) - blocks * BLOCK) / STRIPE;
        for (int k = 0; k < tailStripes; k++) {
            stripe(acc, bytes, ints, off, blocks * BLOCK + k * STRIPE, k * 8, seed);
        }
        stripe(acc, bytes, ints, off, len - STRIPE, LAST_STRIPE_AT, seed);
        return merge(acc, (long) len * Xxh3.PRIME64_1, seed);
    }

    private static void stripe(long[] acc, byte[] bytes, int[] ints, int off, int p, int s, long seed) {
        for (int i = 0; i < 8; i++) {
            long data = le64(bytes, ints, off, p + 8 * i);
            long key = data ^ Xxh3Secret.derived(s + 8 * i, seed);
            acc[i ^ 1] += data; // each lane also keeps its neighbour's raw data
            acc[i] += (key & 0xFFFF_FFFFL) * (key >>> 32);
        }
    }

    private static void scramble(long[] acc, long seed) {
        for (int i = 0; i < 8; i++) {
            long a = acc[i];
            a ^= a >>> 47;
            a ^= Xxh3Secret.derived(SCRAMBLE_AT + 8 * i, seed);
            acc[i] = a * Xxh3.PRIME32_1;
        }
    }

    private static long merge(long[] acc, long start, long seed) {
        long result = start;
        for (int i = 0; i < 4; i++) {
            int s = MERGE_AT + 16 * i;
            result += Xxh3.mul128Fold64(
                    acc[2 * i] ^ Xxh3Secret.derived(s, seed), acc[2 * i + 1] ^ Xxh3Secret.derived(s + 8, seed));
        }
        return Xxh3.avalanche(result);
    }
}
