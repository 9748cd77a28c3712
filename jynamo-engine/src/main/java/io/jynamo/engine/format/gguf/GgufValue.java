package io.jynamo.engine.format.gguf;

import io.jynamo.engine.EngineException;
import java.util.Objects;

/**
 * One GGUF metadata value with its exact on-disk type, so a file can be re-written byte for byte.
 *
 * <p>Java representation of {@link #value()}: every integer type (UINT8 … INT64) is a {@link Long}
 * holding the value (UINT64 keeps its 64 bits, so values above {@code Long.MAX_VALUE} are negative
 * here); FLOAT32 is a {@link Float}, FLOAT64 a {@link Double}, BOOL a {@link Boolean}, STRING a
 * {@link String} and ARRAY a {@link GgufArray}. The constructor checks that the value fits its type.
 *
 * <p>The {@code asX()} accessors convert or fail with an {@link EngineException} naming the actual
 * type; the {@code asX(key)} overloads also name the metadata key. Numeric conversions are lenient
 * where nothing is lost silently: {@code asFloat} takes any number, {@code asInt} any integer that
 * fits, but no accessor turns a float into an integer.
 */
public record GgufValue(GgufValueType type, Object value) {
    public GgufValue {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        checkRepresentation(type, value);
    }

    private static void checkRepresentation(GgufValueType type, Object value) {
        boolean ok = switch (type) {
            case UINT8 -> value instanceof Long l && l >= 0 && l <= 0xFF;
            case INT8 -> value instanceof Long l && l >= Byte.MIN_VALUE && l <= Byte.MAX_VALUE;
            case UINT16 -> value instanceof Long l && l >= 0 && l <= 0xFFFF;
            case INT16 -> value instanceof Long l && l >= Short.MIN_VALUE && l <= Short.MAX_VALUE;
            case UINT32 -> value instanceof Long l && l >= 0 && l <= 0xFFFF_FFFFL;
            case INT32 -> value instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE;
            case UINT64, INT64 -> value instanceof Long;
            case FLOAT32 -> value instanceof Float;
            case FLOAT64 -> value instanceof Double;
            case BOOL -> value instanceof Boolean;
            case STRING -> value instanceof String;
            case ARRAY -> value instanceof GgufArray;
        };
        if (!ok) {
            throw EngineException.badInput("a GGUF " + type + " value cannot hold " + value
                    + " (" + value.getClass().getSimpleName() + ")");
        }
    }

    public static GgufValue ofString(String s) {
        return new GgufValue(GgufValueType.STRING, s);
    }

    public static GgufValue ofUint8(int v) {
        return new GgufValue(GgufValueType.UINT8, (long) v);
    }

    public static GgufValue ofInt8(int v) {
        return new GgufValue(GgufValueType.INT8, (long) v);
    }

    public static GgufValue ofUint16(int v) {
        return new GgufValue(GgufValueType.UINT16, (long) v);
    }

    public static GgufValue ofInt16(int v) {
        return new GgufValue(GgufValueType.INT16, (long) v);
    }

    public static GgufValue ofUint32(long v) {
        return new GgufValue(GgufValueType.UINT32, v);
    }

    public static GgufValue ofInt32(int v) {
        return new GgufValue(GgufValueType.INT32, (long) v);
    }

    /** A UINT64 from its 64 bits (pass -1 for 2^64-1). */
    public static GgufValue ofUint64(long bits) {
        return new GgufValue(GgufValueType.UINT64, bits);
    }

    public static GgufValue ofInt64(long v) {
        return new GgufValue(GgufValueType.INT64, v);
    }

    public static GgufValue ofFloat32(float v) {
        return new GgufValue(GgufValueType.FLOAT32, v);
    }

    public static GgufValue ofFloat64(double v) {
        return new GgufValue(GgufValueType.FLOAT64, v);
    }

    public static GgufValue ofBool(boolean v) {
        return new GgufValue(GgufValueType.BOOL, v);
    }

    public static GgufValue ofArray(GgufArray a) {
        return new GgufValue(GgufValueType.ARRAY, a);
    }

    public String asString() {
        return asString(null);
    }

    public String asString(String key) {
        if (value instanceof String s) {
            return s;
        }
        throw mismatch(key, "a string");
    }

    public long asLong() {
        return asLong(null);
    }

    /** Any integer type; a UINT64 above {@code Long.MAX_VALUE} is refused. */
    public long asLong(String key) {
        if (!type.isInteger()) {
            throw mismatch(key, "an integer");
        }
        long v = (Long) value;
        if (type == GgufValueType.UINT64 && v < 0) {
            throw EngineException.badInput(subject(key) + " value " + Long.toUnsignedString(v)
                    + " does not fit a signed 64-bit integer");
        }
        return v;
    }

    public int asInt() {
        return asInt(null);
    }

    /** Any integer type whose value fits an int. */
    public int asInt(String key) {
        long v = asLong(key);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw EngineException.badInput(subject(key) + " value " + v + " does not fit a 32-bit integer");
        }
        return (int) v;
    }

    public float asFloat() {
        return asFloat(null);
    }

    /** Any numeric type, converted to float. */
    public float asFloat(String key) {
        return (float) asDouble(key);
    }

    public double asDouble() {
        return asDouble(null);
    }

    /** Any numeric type, converted to double. */
    public double asDouble(String key) {
        return switch (value) {
            case Float f -> f;
            case Double d -> d;
            case Long l when type == GgufValueType.UINT64 -> unsignedToDouble(l);
            case Long l -> l;
            default -> throw mismatch(key, "a number");
        };
    }

    public boolean asBoolean() {
        return asBoolean(null);
    }

    public boolean asBoolean(String key) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw mismatch(key, "a boolean");
    }

    public GgufArray asArray() {
        return asArray(null);
    }

    public GgufArray asArray(String key) {
        if (value instanceof GgufArray a) {
            return a;
        }
        throw mismatch(key, "an array");
    }

    public String[] asStringArray() {
        return asStringArray(null);
    }

    /** A copy of a STRING array's elements. */
    public String[] asStringArray(String key) {
        if (value instanceof GgufArray(var t, String[] a)) {
            return a.clone();
        }
        throw mismatch(key, "an array of strings");
    }

    public float[] asFloatArray() {
        return asFloatArray(null);
    }

    /** The elements of any numeric array, as a new float array. */
    public float[] asFloatArray(String key) {
        if (value instanceof GgufArray a && a.elementType().isNumeric()) {
            if (a.values() instanceof float[] f) {
                return f.clone();
            }
            float[] out = new float[a.length()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) a.numberAt(i);
            }
            return out;
        }
        throw mismatch(key, "an array of numbers");
    }

    public int[] asIntArray() {
        return asIntArray(null);
    }

    /** The elements of any integer array, each of which must fit an int, as a new int array. */
    public int[] asIntArray(String key) {
        long[] longs = asLongArray(key);
        int[] out = new int[longs.length];
        for (int i = 0; i < out.length; i++) {
            if (longs[i] < Integer.MIN_VALUE || longs[i] > Integer.MAX_VALUE) {
                throw EngineException.badInput(subject(key) + " element " + i + " (" + longs[i]
                        + ") does not fit a 32-bit integer");
            }
            out[i] = (int) longs[i];
        }
        return out;
    }

    public long[] asLongArray() {
        return asLongArray(null);
    }

    /** The elements of any integer array as a new long array; UINT64 elements above 2^63-1 are refused. */
    public long[] asLongArray(String key) {
        if (value instanceof GgufArray a && a.elementType().isInteger()) {
            long[] out = new long[a.length()];
            for (int i = 0; i < out.length; i++) {
                out[i] = a.integerAt(i);
                if (a.elementType() == GgufValueType.UINT64 && out[i] < 0) {
                    throw EngineException.badInput(subject(key) + " element " + i + " ("
                            + Long.toUnsignedString(out[i]) + ") does not fit a signed 64-bit integer");
                }
            }
            return out;
        }
        throw mismatch(key, "an array of integers");
    }

    /** A short description of the type, e.g. {@code UINT32} or {@code ARRAY of STRING}. */
    public String typeName() {
        return value instanceof GgufArray a ? "ARRAY of " + a.elementType() : type.name();
    }

    private EngineException mismatch(String key, String wanted) {
        return EngineException.badInput(subject(key) + " is " + typeName() + ", not " + wanted);
    }

    private static String subject(String key) {
        return key == null ? "GGUF value" : "metadata key '" + key + "'";
    }

    static double unsignedToDouble(long bits) {
        double d = (double) (bits >>> 1) * 2.0;
        return d + (bits & 1);
    }

    @Override
    public String toString() {
        if (type == GgufValueType.UINT64) {
            return "UINT64:" + Long.toUnsignedString((Long) value);
        }
        return type + ":" + value;
    }
}
