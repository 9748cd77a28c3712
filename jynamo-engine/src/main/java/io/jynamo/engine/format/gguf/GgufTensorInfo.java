package io.jynamo.engine.format.gguf;

import io.jynamo.engine.GgmlType;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where one tensor lies in a GGUF file. {@code shape} is in ggml order: {@code shape[0]} is the
 * number of columns, the contiguous dimension, so a PyTorch {@code [rows, cols]} weight appears as
 * {@code [cols, rows]}. {@code offset} is absolute in the file; {@code byteSize} is exact (no padding).
 */
public record GgufTensorInfo(String name, GgmlType type, long[] shape, long offset, long byteSize) {
    public GgufTensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        shape = shape.clone();
    }

    /** A copy of the shape, so callers cannot change the record. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Size of dimension {@code i} in ggml order; 1 beyond the stored dimensions, as in ggml. */
    public long dim(int i) {
        return i < shape.length ? shape[i] : 1;
    }

    public int nDims() {
        return shape.length;
    }

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensorInfo t
                && name.equals(t.name)
                && type == t.type
                && Arrays.equals(shape, t.shape)
                && offset == t.offset
                && byteSize == t.byteSize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, Arrays.hashCode(shape), offset, byteSize);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(shape) + " @" + offset + " +" + byteSize;
    }
}
