package io.jynamo.engine.format.safetensors;

import io.jynamo.engine.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor of a safetensors model. {@code shape} is in the file's row-major order: the last
 * dimension is contiguous, so a linear layer's weight is {@code [out_features, in_features]}.
 * {@code data} is a slice of the file's read-only mapping, little-endian, valid until the model is
 * closed.
 */
public record SafetensorsTensor(String name, GgmlType type, long[] shape, MemorySegment data) {
    public SafetensorsTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        shape = shape.clone();
    }

    /** A copy of the shape, so callers cannot change the record. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
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
        return o instanceof SafetensorsTensor t
                && name.equals(t.name)
                && type == t.type
                && Arrays.equals(shape, t.shape)
                && data.equals(t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, Arrays.hashCode(shape), data);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(shape) + " (" + data.byteSize() + " bytes)";
    }
}
