package io.jynamo.engine.format.gguf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Encodes metadata values in GGUF's little-endian layout; the mirror of the parser's value reading. */
final class GgufEncoder {
    private GgufEncoder() {}

    static void writeString(ChannelOutput o, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        o.putI64(b.length);
        o.putBytes(b);
    }

    static void writeValue(ChannelOutput o, GgufValue v) throws IOException {
        o.putI32(v.type().id());
        if (v.value() instanceof GgufArray a) {
            o.putI32(a.elementType().id());
            o.putI64(a.length());
            writeElements(o, a);
        } else {
            writeScalar(o, v.type(), v.value());
        }
    }

    private static void writeScalar(ChannelOutput o, GgufValueType type, Object value) throws IOException {
        switch (type) {
            case UINT8, INT8 -> o.putU8((int) (long) (Long) value);
            case UINT16, INT16 -> o.putI16((short) (long) (Long) value);
            case UINT32, INT32 -> o.putI32((int) (long) (Long) value);
            case UINT64, INT64 -> o.putI64((Long) value);
            case FLOAT32 -> o.putF32((Float) value);
            case FLOAT64 -> o.putF64((Double) value);
            case BOOL -> o.putU8((Boolean) value ? 1 : 0);
            case STRING -> writeString(o, (String) value);
            case ARRAY -> throw new IllegalStateException("arrays are written by writeValue");
        }
    }

    private static void writeElements(ChannelOutput o, GgufArray a) throws IOException {
        switch (a.values()) {
            case byte[] x -> o.putBytes(x);
            case short[] x -> {
                for (short e : x) {
                    o.putI16(e);
                }
            }
            case int[] x -> {
                for (int e : x) {
                    o.putI32(e);
                }
            }
            case long[] x -> {
                for (long e : x) {
                    o.putI64(e);
                }
            }
            case float[] x -> {
                for (float e : x) {
                    o.putF32(e);
                }
            }
            case double[] x -> {
                for (double e : x) {
                    o.putF64(e);
                }
            }
            case boolean[] x -> {
                for (boolean e : x) {
                    o.putU8(e ? 1 : 0);
                }
            }
            case String[] x -> {
                for (String e : x) {
                    writeString(o, e);
                }
            }
            default -> throw new IllegalStateException("unexpected array class " + a.values().getClass());
        }
    }
}
