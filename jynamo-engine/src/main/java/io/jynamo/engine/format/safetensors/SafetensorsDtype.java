package io.jynamo.engine.format.safetensors;

import io.jynamo.engine.EngineException;
import io.jynamo.engine.GgmlType;

/**
 * Safetensors dtype names: their widths, so any tensor's size can be checked, and the three the
 * engine reads as weights.
 */
final class SafetensorsDtype {
    static final String SUPPORTED = "F32, F16, BF16";

    private SafetensorsDtype() {}

    /** Bits per element, or -1 for a dtype this code does not know. */
    static int bits(String dtype) {
        return switch (dtype) {
            case "BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0" -> 8;
            case "I16", "U16", "F16", "BF16" -> 16;
            case "I32", "U32", "F32" -> 32;
            case "I64", "U64", "F64", "C64" -> 64;
            case "F4" -> 4;
            case "F6_E2M3", "F6_E3M2" -> 6;
            default -> -1;
        };
    }

    /** The weight type for {@code dtype}, or null if the engine does not read it. */
    static GgmlType ggmlType(String dtype) {
        return switch (dtype) {
            case "F32" -> GgmlType.F32;
            case "F16" -> GgmlType.F16;
            case "BF16" -> GgmlType.BF16;
            default -> null;
        };
    }

    /** The dtype name written for {@code type}. */
    static String name(GgmlType type, String tensor) {
        return switch (type) {
            case F32 -> "F32";
            case F16 -> "F16";
            case BF16 -> "BF16";
            default -> throw EngineException.badInput("tensor " + tensor + " has type " + type
                    + ", which safetensors cannot hold; supported: " + SUPPORTED);
        };
    }

    /** Bytes for {@code elements} values of {@code bits} each, or -1 if it overflows. */
    static long byteSize(long elements, int bits) {
        try {
            long totalBits = Math.multiplyExact(elements, (long) bits);
            return (totalBits + 7) / 8;
        } catch (ArithmeticException e) {
            return -1;
        }
    }
}
