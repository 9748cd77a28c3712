package io.jynamo.engine.format.gguf;

import io.jynamo.engine.EngineException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A little-endian reader over a mapped GGUF file that checks every read against the end of the
 * file first, so a corrupt length or count becomes a one-line error naming what was being read
 * ({@link #where}) instead of an out-of-bounds access or a huge allocation.
 */
final class GgufCursor {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE);
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(LE);
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);
    static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(LE);

    /** Java arrays stop a little short of Integer.MAX_VALUE elements. */
    private static final long MAX_JAVA_ARRAY = Integer.MAX_VALUE - 16;

    private final MemorySegment seg;
    private final Path path;
    private final long size;
    private long pos;
    private String where = "the header";

    GgufCursor(MemorySegment seg, Path path) {
        this.seg = seg;
        this.path = path;
        this.size = seg.byteSize();
    }

    /** Names what is read next, for error messages ("metadata key 'x'"). */
    void where(String what) {
        this.where = what;
    }

    long pos() {
        return pos;
    }

    long remaining() {
        return size - pos;
    }

    private void need(long n) {
        if (n > size - pos) {
            throw EngineException.badInput(path + " is truncated: " + where + " needs " + n
                    + " bytes at offset " + pos + " but the file has " + size);
        }
    }

    int u8() {
        need(1);
        return seg.get(ValueLayout.JAVA_BYTE, pos++) & 0xFF;
    }

    short i16() {
        need(2);
        short v = seg.get(I16, pos);
        pos += 2;
        return v;
    }

    int i32() {
        need(4);
        int v = seg.get(I32, pos);
        pos += 4;
        return v;
    }

    long u32() {
        return i32() & 0xFFFF_FFFFL;
    }

    long i64() {
        need(8);
        long v = seg.get(I64, pos);
        pos += 8;
        return v;
    }

    float f32() {
        need(4);
        float v = seg.get(F32, pos);
        pos += 4;
        return v;
    }

    double f64() {
        need(8);
        double v = seg.get(F64, pos);
        pos += 8;
        return v;
    }

    /**
     * Reads a u64 count of things that each take at least {@code minBytesEach} bytes, and refuses it
     * unless that many could fit in the rest of the file (and in a Java array).
     */
    int count(String what, int minBytesEach) {
        long n = i64();
        long fits = remaining() / Math.max(1, minBytesEach);
        if (n < 0 || n > fits || n > MAX_JAVA_ARRAY) {
            throw EngineException.badInput(path + ": " + where + " has " + what + " " + Long.toUnsignedString(n)
                    + ", which cannot fit in the " + remaining() + " bytes left in the file");
        }
        return (int) n;
    }

    /** A GGUF string: u64 byte length, then UTF-8 bytes (malformed bytes decode to U+FFFD). */
    String string() {
        int len = count("a string length of", 1);
        String s = new String(seg.asSlice(pos, len).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    /** Copies {@code n} elements of {@code layout} into a new primitive array of class {@code arrayType}. */
    Object array(ValueLayout layout, int n, Object dst) {
        need((long) n * layout.byteSize());
        MemorySegment.copy(seg, layout, pos, dst, 0, n);
        pos += (long) n * layout.byteSize();
        return dst;
    }
}
