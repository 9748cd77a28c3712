package io.jynamo.engine.format.gguf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Hand-assembles GGUF bytes, so a test can put any corruption exactly where it wants it. */
final class RawGguf {
    private final ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

    RawGguf header(int version, long nTensors, long nKv) {
        return bytes("GGUF".getBytes(StandardCharsets.US_ASCII)).i32(version).i64(nTensors).i64(nKv);
    }

    RawGguf i32(int v) {
        b.putInt(v);
        return this;
    }

    RawGguf i64(long v) {
        b.putLong(v);
        return this;
    }

    RawGguf str(String s) {
        byte[] x = s.getBytes(StandardCharsets.UTF_8);
        return i64(x.length).bytes(x);
    }

    RawGguf bytes(byte[] x) {
        b.put(x);
        return this;
    }

    /** A UINT32 metadata entry. */
    RawGguf kvU32(String key, int v) {
        return str(key).i32(GgufValueType.UINT32.id()).i32(v);
    }

    /** A tensor info with relative offset {@code offset}. */
    RawGguf tensor(String name, int type, long offset, long... dims) {
        str(name).i32(dims.length);
        for (long d : dims) {
            i64(d);
        }
        return i32(type).i64(offset);
    }

    RawGguf padTo(int alignment) {
        while (b.position() % alignment != 0) {
            b.put((byte) 0);
        }
        return this;
    }

    RawGguf zeros(int n) {
        return bytes(new byte[n]);
    }

    int size() {
        return b.position();
    }

    byte[] toArray() {
        return Arrays.copyOf(b.array(), b.position());
    }

    /** A valid file: one UINT32 key, one F32 tensor of 8 values at data offset 0. */
    static RawGguf valid() {
        return new RawGguf().header(3, 1, 1).kvU32("a", 1).tensor("t", 0, 0, 8).padTo(32).zeros(32);
    }
}
