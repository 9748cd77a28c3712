package io.jynamo.api.kv;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads of the hashed input, which is either bytes or int tokens taken as their little-endian u32
 * bytes. Exactly one of {@code bytes} and {@code ints} is non-null; {@code off} indexes that array and
 * {@code p} is a byte position within the input. Token input is always a multiple of 4 bytes long and
 * XXH3 reads only at 0, at multiples of 8 or 16, and at {@code len} minus a multiple of 4, so every read
 * of token input falls on a token boundary. One algorithm serves both kinds without copying tokens into
 * a byte array; the null test is perfectly predictable within a call.
 */
final class Xxh3Input {
    private static final VarHandle LE_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private Xxh3Input() {}

    static long le64(byte[] bytes, int[] ints, int off, int p) {
        if (bytes != null) {
            return (long) LE_LONG.get(bytes, off + p);
        }
        int i = off + (p >>> 2);
        return (ints[i] & 0xFFFF_FFFFL) | ((long) ints[i + 1] << 32);
    }

    /** Little-endian u32 at byte position {@code p}, zero-extended. */
    static long le32(byte[] bytes, int[] ints, int off, int p) {
        if (bytes != null) {
            return (int) LE_INT.get(bytes, off + p) & 0xFFFF_FFFFL;
        }
        return ints[off + (p >>> 2)] & 0xFFFF_FFFFL;
    }

    /** One unsigned byte; only inputs of 1 to 3 bytes are read this way, and token input never is. */
    static int u8(byte[] bytes, int off, int p) {
        return bytes[off + p] & 0xFF;
    }
}
