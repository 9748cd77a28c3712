package io.jynamo.engine.format.gguf;

import io.jynamo.engine.EngineException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A GGUF array value: its element type and the elements in a primitive Java array, so the exact
 * on-disk type survives a read and re-write.
 *
 * <table>
 *   <caption>Java array per element type</caption>
 *   <tr><td>UINT8, INT8</td><td>{@code byte[]} (UINT8 read as unsigned: {@code b & 0xFF})</td></tr>
 *   <tr><td>UINT16, INT16</td><td>{@code short[]}</td></tr>
 *   <tr><td>UINT32, INT32</td><td>{@code int[]} (UINT32 read as unsigned)</td></tr>
 *   <tr><td>UINT64, INT64</td><td>{@code long[]} (UINT64 read as unsigned)</td></tr>
 *   <tr><td>FLOAT32 / FLOAT64</td><td>{@code float[]} / {@code double[]}</td></tr>
 *   <tr><td>BOOL</td><td>{@code boolean[]}</td></tr>
 *   <tr><td>STRING</td><td>{@code String[]}</td></tr>
 * </table>
 * Arrays of arrays are not supported, as in llama.cpp. Equality compares the elements.
 */
public record GgufArray(GgufValueType elementType, Object values) {
    public GgufArray {
        Objects.requireNonNull(elementType, "elementType");
        Objects.requireNonNull(values, "values");
        if (elementType == GgufValueType.ARRAY) {
            throw EngineException.badInput("GGUF arrays of arrays are not supported");
        }
        Class<?> expected = javaClass(elementType);
        if (values.getClass() != expected) {
            throw EngineException.badInput("a GGUF array of " + elementType + " needs a "
                    + expected.getSimpleName() + ", got " + values.getClass().getSimpleName());
        }
        if (values instanceof String[] strings) {
            for (int i = 0; i < strings.length; i++) {
                if (strings[i] == null) {
                    throw EngineException.badInput("a GGUF string array has a null element at index " + i);
                }
            }
        }
    }

    /** The Java array class that holds elements of {@code type}. */
    static Class<?> javaClass(GgufValueType type) {
        return switch (type) {
            case UINT8, INT8 -> byte[].class;
            case UINT16, INT16 -> short[].class;
            case UINT32, INT32 -> int[].class;
            case UINT64, INT64 -> long[].class;
            case FLOAT32 -> float[].class;
            case FLOAT64 -> double[].class;
            case BOOL -> boolean[].class;
            case STRING -> String[].class;
            case ARRAY -> throw EngineException.badInput("GGUF arrays of arrays are not supported");
        };
    }

    public static GgufArray ofStrings(String... values) {
        return new GgufArray(GgufValueType.STRING, values);
    }

    public static GgufArray ofFloat32(float... values) {
        return new GgufArray(GgufValueType.FLOAT32, values);
    }

    public static GgufArray ofInt32(int... values) {
        return new GgufArray(GgufValueType.INT32, values);
    }

    /** Number of elements. */
    public int length() {
        return java.lang.reflect.Array.getLength(values);
    }

    /** Element {@code i} as a long; integer element types only, unsigned ones zero-extended. */
    long integerAt(int i) {
        return switch (values) {
            case byte[] a -> elementType == GgufValueType.UINT8 ? a[i] & 0xFFL : a[i];
            case short[] a -> elementType == GgufValueType.UINT16 ? a[i] & 0xFFFFL : a[i];
            case int[] a -> elementType == GgufValueType.UINT32 ? a[i] & 0xFFFF_FFFFL : a[i];
            case long[] a -> a[i];
            default -> throw new IllegalStateException("not an integer array: " + elementType);
        };
    }

    /** Element {@code i} as a double; numeric element types only. */
    double numberAt(int i) {
        return switch (values) {
            case float[] a -> a[i];
            case double[] a -> a[i];
            case long[] a when elementType == GgufValueType.UINT64 -> GgufValue.unsignedToDouble(a[i]);
            default -> integerAt(i);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufArray other
                && elementType == other.elementType
                && Objects.deepEquals(values, other.values);
    }

    @Override
    public int hashCode() {
        return 31 * elementType.hashCode() + Arrays.deepHashCode(new Object[] {values});
    }

    @Override
    public String toString() {
        return "GgufArray[" + elementType + " x " + length() + "]";
    }
}
