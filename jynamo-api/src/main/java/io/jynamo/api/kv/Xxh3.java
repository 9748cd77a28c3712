package io.jynamo.api.kv;

import static io.jynamo.api.kv.Xxh3Input.le32;
import static io.jynamo.api.kv.Xxh3Input.le64;

/**
 * XXH3-64 with a seed (xxHash 0.8), written from the xxHash specification, for every input length: the
 * short paths (0, 1-3, 4-8, 9-16 bytes), the mid paths (17-128, 129-240) and the striped long path
 * ({@link Xxh3Long}). Results are the 64-bit value as a Java {@code long}; compare with other tools as
 * unsigned ({@link Long#toUnsignedString}, {@link Long#toHexString}).
 *
 * <p>Nothing here allocates except the long path's 8-word accumulator array (inputs over 240 bytes).
 * Invalid arguments are programming errors and throw {@link IllegalArgumentException}.
 */
public final class Xxh3 {
    static final long PRIME32_1 = 0x9E3779B1L;
    static final long PRIME32_2 = 0x85EBCA77L;
    static final long PRIME32_3 = 0xC2B2AE3DL;
    static final long PRIME64_1 = 0x9E3779B185EBCA87L;
    static final long PRIME64_2 = 0xC2B2AE3D27D4EB4FL;
    static final long PRIME64_3 = 0x165667B19E3779F9L;
    static final long PRIME64_4 = 0x85EBCA77C2B2AE63L;
    static final long PRIME64_5 = 0x27D4EB2F165667C5L;
    private static final long PRIME_MX1 = 0x165667919E3779F9L;
    private static final long PRIME_MX2 = 0x9FB21C651E98DF25L;

    /** Largest token count whose byte length (4 per token) still fits an int. */
    private static final int MAX_TOKENS = Integer.MAX_VALUE / 4;

    private Xxh3() {}

    /** XXH3-64 of {@code data[off, off + len)}. */
    public static long hash64(byte[] data, int off, int len, long seed) {
        if (data == null) {
            throw new IllegalArgumentException("xxh3: data is null");
        }
        checkRange("data", data.length, off, len);
        return hash(data, null, off, len, seed);
    }

    /**
     * XXH3-64 of {@code tokens[off, off + count)} taken as little-endian u32 bytes (4 per token), equal to
     * {@link #hash64(byte[], int, int, long)} over those bytes, without building them.
     */
    public static long hashTokensLe32(int[] tokens, int off, int count, long seed) {
        if (tokens == null) {
            throw new IllegalArgumentException("xxh3: tokens is null");
        }
        checkRange("tokens", tokens.length, off, count);
        if (count > MAX_TOKENS) {
            throw new IllegalArgumentException("xxh3: " + count + " tokens exceed " + MAX_TOKENS);
        }
        return hash(null, tokens, off, count * 4, seed);
    }

    /** XXH3-64 of the 16 bytes (little-endian {@code a}, little-endian {@code b}). */
    public static long hash64(long a, long b, long seed) {
        return len9to16(a, b, 16, seed);
    }

    static long hash(byte[] bytes, int[] ints, int off, int len, long seed) {
        if (len <= 16) {
            return upTo16(bytes, ints, off, len, seed);
        }
        if (len <= 128) {
            return len17to128(bytes, ints, off, len, seed);
        }
        if (len <= 240) {
            return len129to240(bytes, ints, off, len, seed);
        }
        return Xxh3Long.hash(bytes, ints, off, len, seed);
    }

    private static long upTo16(byte[] bytes, int[] ints, int off, int len, long seed) {
        if (len > 8) {
            return len9to16(le64(bytes, ints, off, 0), le64(bytes, ints, off, len - 8), len, seed);
        }
        if (len >= 4) {
            return len4to8(le32(bytes, ints, off, 0), le32(bytes, ints, off, len - 4), len, seed);
        }
        if (len > 0) {
            return len1to3(bytes, off, len, seed);
        }
        return xxh64Avalanche(seed ^ Xxh3Secret.le64(56) ^ Xxh3Secret.le64(64));
    }

    private static long len1to3(byte[] bytes, int off, int len, long seed) {
        int first = Xxh3Input.u8(bytes, off, 0);
        int middle = Xxh3Input.u8(bytes, off, len >>> 1);
        int last = Xxh3Input.u8(bytes, off, len - 1);
        long combined = ((first << 16) | (middle << 24) | last | (len << 8)) & 0xFFFF_FFFFL;
        long bitflip = (Xxh3Secret.le32(0) ^ Xxh3Secret.le32(4)) + seed;
        return xxh64Avalanche(combined ^ bitflip);
    }

    /** {@code head} and {@code tail} are the first and last 4 bytes (they overlap below 8 bytes). */
    private static long len4to8(long head, long tail, int len, long seed) {
        long mixedSeed = seed ^ ((long) Integer.reverseBytes((int) seed) << 32);
        long bitflip = (Xxh3Secret.le64(8) ^ Xxh3Secret.le64(16)) - mixedSeed;
        return rrmxmx((tail + (head << 32)) ^ bitflip, len);
    }

    /** {@code head} and {@code tail} are the first and last 8 bytes (they overlap below 16 bytes). */
    private static long len9to16(long head, long tail, int len, long seed) {
        long lo = head ^ ((Xxh3Secret.le64(24) ^ Xxh3Secret.le64(32)) + seed);
        long hi = tail ^ ((Xxh3Secret.le64(40) ^ Xxh3Secret.le64(48)) - seed);
        long acc = len + Long.reverseBytes(lo) + hi + mul128Fold64(lo, hi);
        return avalanche(acc);
    }

    /** Mixes 16-byte pairs taken from both ends towards the middle, one secret pair each. */
    private static long len17to128(byte[] bytes, int[] ints, int off, int len, long seed) {
        long acc = len * PRIME64_1;
        int rounds = (len - 1) / 32; // 0 for 17-32 bytes, up to 3 for 97-128
        for (int k = 0; k <= rounds; k++) {
            acc += mix16(bytes, ints, off, 16 * k, 32 * k, seed);
            acc += mix16(bytes, ints, off, len - 16 * (k + 1), 32 * k + 16, seed);
        }
        return avalanche(acc);
    }

    private static long len129to240(byte[] bytes, int[] ints, int off, int len, long seed) {
        long acc = len * PRIME64_1;
        for (int i = 0; i < 8; i++) {
            acc += mix16(bytes, ints, off, 16 * i, 16 * i, seed);
        }
        acc = avalanche(acc);
        // The last 16 bytes and the chunks past the first 128 read the secret at odd offsets (119, 3, 19, ...).
        long accEnd = mix16(bytes, ints, off, len - 16, 136 - 17, seed);
        int rounds = len / 16;
        for (int i = 8; i < rounds; i++) {
            accEnd += mix16(bytes, ints, off, 16 * i, 16 * (i - 8) + 3, seed);
        }
        return avalanche(acc + accEnd);
    }

    private static long mix16(byte[] bytes, int[] ints, int off, int p, int s, long seed) {
        long lo = le64(bytes, ints, off, p) ^ (Xxh3Secret.le64(s) + seed);
        long hi = le64(bytes, ints, off, p + 8) ^ (Xxh3Secret.le64(s + 8) - seed);
        return mul128Fold64(lo, hi);
    }

    /** Low and high halves of the unsigned 128-bit product, xored. */
    static long mul128Fold64(long a, long b) {
        return (a * b) ^ Math.unsignedMultiplyHigh(a, b);
    }

    static long avalanche(long h) {
        h ^= h >>> 37;
        h *= PRIME_MX1;
        return h ^ (h >>> 32);
    }

    private static long rrmxmx(long h, int len) {
        h ^= Long.rotateLeft(h, 49) ^ Long.rotateLeft(h, 24);
        h *= PRIME_MX2;
        h ^= (h >>> 35) + len;
        h *= PRIME_MX2;
        return h ^ (h >>> 28);
    }

    private static long xxh64Avalanche(long h) {
        h ^= h >>> 33;
        h *= PRIME64_2;
        h ^= h >>> 29;
        h *= PRIME64_3;
        return h ^ (h >>> 32);
    }

    private static void checkRange(String what, int length, int off, int len) {
        if (off < 0 || len < 0 || off > length - len) {
            throw new IllegalArgumentException(
                    "xxh3: range off=" + off + " len=" + len + " outside " + what + " of length " + length);
        }
    }
}
