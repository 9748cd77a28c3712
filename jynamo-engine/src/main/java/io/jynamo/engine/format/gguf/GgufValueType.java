package io.jynamo.engine.format.gguf;

/**
 * The type tag of a GGUF metadata value, with its on-disk id. {@link #fixedSize()} is the encoded
 * width of a scalar of that type, or 0 where the width varies (strings and arrays).
 */
public enum GgufValueType {
    UINT8(0, 1),
    INT8(1, 1),
    UINT16(2, 2),
    INT16(3, 2),
    UINT32(4, 4),
    INT32(5, 4),
    FLOAT32(6, 4),
    BOOL(7, 1),
    STRING(8, 0),
    ARRAY(9, 0),
    UINT64(10, 8),
    INT64(11, 8),
    FLOAT64(12, 8);

    private static final GgufValueType[] BY_ID = new GgufValueType[13];

    static {
        for (GgufValueType t : values()) {
            BY_ID[t.id] = t;
        }
    }

    private final int id;
    private final int fixedSize;

    GgufValueType(int id, int fixedSize) {
        this.id = id;
        this.fixedSize = fixedSize;
    }

    /** The id GGUF stores for this type. */
    public int id() {
        return id;
    }

    /** Bytes one value takes on disk, or 0 for {@link #STRING} and {@link #ARRAY}. */
    public int fixedSize() {
        return fixedSize;
    }

    /** True for the eight integer types (not BOOL). */
    public boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            default -> false;
        };
    }

    /** True for the unsigned integer types. */
    public boolean isUnsigned() {
        return this == UINT8 || this == UINT16 || this == UINT32 || this == UINT64;
    }

    /** True for integer and floating-point types. */
    public boolean isNumeric() {
        return isInteger() || this == FLOAT32 || this == FLOAT64;
    }

    /** The type with on-disk id {@code id}, or null when GGUF defines none. */
    public static GgufValueType fromIdOrNull(long id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[(int) id] : null;
    }
}
