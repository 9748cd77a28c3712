package io.jynamo.api.kv;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.HexFormat;

/**
 * XXH3's 192-byte default secret and the reads the algorithm makes of it. Inputs up to 240 bytes use the
 * default secret and fold the seed in where it is read; longer inputs use a secret derived from the seed
 * (each 16-byte lane: low word plus seed, high word minus seed), which {@link #derived} computes on the
 * fly instead of materialising, so no call allocates one.
 */
final class Xxh3Secret {
    static final int SIZE = 192;

    private static final byte[] DEFAULT = HexFormat.of().parseHex(
            "b8fe6c3923a44bbe7c01812cf721ad1cded46de9839097db7240a4a4b7b3671f"
                    + "cb79e64eccc0e578825ad07dccff7221b8084674f743248ee03590e6813a264c"
                    + "3c2852bb91c300cb88d0658b1b532ea371644897a20df94e3819ef46a9deacd8"
                    + "a8fa763fe39c343ff9dcbbc7c70b4f1d8a51e04bcdb45931c89f7ec9d9787364"
                    + "eac5ac8334d3ebc3c581a0fffa1363eb170ddd51b7f0da49d316552629d4689e"
                    + "2b16be587d47a1fc8ff8b8d17ad031ce45cb3a8f95160428afd7fbcabb4b407e");

    private static final VarHandle LE_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** The default secret as little-endian words, the base of {@link #derived}. */
    private static final long[] WORDS = new long[SIZE / 8];

    static {
        for (int w = 0; w < WORDS.length; w++) {
            WORDS[w] = le64(8 * w);
        }
    }

    private Xxh3Secret() {}

    /** Little-endian u64 of the default secret at byte offset {@code o}. */
    static long le64(int o) {
        return (long) LE_LONG.get(DEFAULT, o);
    }

    /** Little-endian u32 of the default secret at byte offset {@code o}, zero-extended. */
    static long le32(int o) {
        return (int) LE_INT.get(DEFAULT, o) & 0xFFFF_FFFFL;
    }

    /** Little-endian u64 at byte offset {@code o} (0..184) of the secret derived from {@code seed}. */
    static long derived(int o, long seed) {
        int w = o >>> 3;
        int shift = (o & 7) * 8;
        if (shift == 0) {
            return derivedWord(w, seed);
        }
        // An unaligned read takes the high bytes of one derived word and the low bytes of the next.
        return (derivedWord(w, seed) >>> shift) | (derivedWord(w + 1, seed) << (64 - shift));
    }

    private static long derivedWord(int w, long seed) {
        return (w & 1) == 0 ? WORDS[w] + seed : WORDS[w] - seed;
    }
}
