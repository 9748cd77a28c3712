package io.jynamo.engine;


/**
 * The weight types the engine reads, with GGUF's numeric ids and block geometry. A block is the
 * unit a quantised row is cut into: {@code blockSize} values stored in {@code blockBytes} bytes.
 */
public enum GgmlType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q4_0(2, 32, 18),
    Q8_0(8, 32, 34),
    Q4_K(12, 256, 144),
    Q6_K(14, 256, 210),
    BF16(30, 1, 2);

    private final int id;
    private final int blockSize;
    private final int blockBytes;

    GgmlType(int id, int blockSize, int blockBytes) {
        this.id = id;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /** GGUF's numeric id of this type. */
    public int id() {
        return id;
    }

    /** Values per block. */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block. */
    public int blockBytes() {
        return blockBytes;
    }

    public boolean quantized() {
        return blockSize > 1;
    }

    /** Bytes taken by {@code elements} values; the count must be a whole number of blocks. */
    public long byteSize(long elements) {
        if (elements % blockSize != 0) {
            throw EngineException.badInput(
                    "a " + this + " tensor needs a multiple of " + blockSize + " values per row, got " + elements);
        }
        return elements / blockSize * blockBytes;
    }

    /** The type with GGUF id {@code id}, or an error that names the id and what is supported. */
    public static GgmlType fromId(int id) {
        for (GgmlType t : values()) {
            if (t.id == id) {
                return t;
            }
        }
        throw EngineException.badInput("unsupported weight type " + GgmlNames.name(id) + " (ggml type id " + id
                + "); supported: F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K");
    }

    /** Parses a user-facing name such as {@code q8_0} or {@code Q4_K}. */
    public static GgmlType parse(String name) {
        for (GgmlType t : values()) {
            if (t.name().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw EngineException.badInput("unknown weight type '" + name + "'; known: f32, f16, bf16, q8_0, q4_0, q4_k, q6_k");
    }
}
