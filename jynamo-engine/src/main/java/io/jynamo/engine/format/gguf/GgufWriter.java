package io.jynamo.engine.format.gguf;

import io.jynamo.engine.EngineException;
import io.jynamo.engine.GgmlType;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Builds a GGUF version 3 file from metadata and tensor declarations, then streams it to disk with
 * the layout llama.cpp writes and expects: header, metadata, tensor infos, zero padding to the
 * alignment, then each tensor's bytes padded to the alignment, tensors packed in the order added.
 * A file without tensors ends after its metadata, as gguf-py writes vocab-only files.
 *
 * <p>The alignment is 32 unless {@code general.alignment} (UINT32, a power of two) is put; it is
 * written to the file only if it was put. Not thread-safe.
 */
public final class GgufWriter {
    /** llama.cpp keeps tensor names in 64 bytes including the terminating NUL. */
    static final int MAX_NAME_BYTES = 63;

    /** Supplies tensor bytes while the file is written. */
    @FunctionalInterface
    public interface TensorWriter {
        /**
         * Writes exactly the bytes of {@code tensorName} to {@code ch}; called once per tensor, in
         * the order the tensors were added. The channel must not be closed.
         */
        void write(String tensorName, WritableByteChannel ch) throws IOException;

        /** A writer that copies each tensor from the segment {@code data} returns for its name. */
        static TensorWriter fromSegments(Function<String, MemorySegment> data) {
            return (name, ch) -> copy(data.apply(name), ch);
        }

        /** Writes all of {@code src} to {@code ch}, in pieces small enough for a ByteBuffer. */
        static void copy(MemorySegment src, WritableByteChannel ch) throws IOException {
            long chunk = 1L << 30;
            for (long off = 0; off < src.byteSize(); off += chunk) {
                var bb = src.asSlice(off, Math.min(chunk, src.byteSize() - off)).asByteBuffer();
                while (bb.hasRemaining()) {
                    ch.write(bb);
                }
            }
        }
    }

    private record Planned(String name, GgmlType type, long[] shape, long byteSize) {}

    private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
    private final List<Planned> tensors = new ArrayList<>();
    private final Set<String> tensorNames = new HashSet<>();

    /** Sets {@code key}; putting a key again replaces its value and keeps its position. */
    public GgufWriter put(String key, GgufValue value) {
        if (key == null || key.isEmpty()) {
            throw EngineException.badInput("a GGUF metadata key must not be empty");
        }
        if (value == null) {
            throw EngineException.badInput("GGUF metadata key '" + key + "' has no value");
        }
        metadata.put(key, value);
        return this;
    }

    public GgufWriter putString(String key, String v) {
        return put(key, GgufValue.ofString(v));
    }

    public GgufWriter putUint32(String key, long v) {
        return put(key, GgufValue.ofUint32(v));
    }

    public GgufWriter putInt32(String key, int v) {
        return put(key, GgufValue.ofInt32(v));
    }

    public GgufWriter putUint64(String key, long v) {
        return put(key, GgufValue.ofUint64(v));
    }

    public GgufWriter putFloat32(String key, float v) {
        return put(key, GgufValue.ofFloat32(v));
    }

    public GgufWriter putBool(String key, boolean v) {
        return put(key, GgufValue.ofBool(v));
    }

    public GgufWriter putStringArray(String key, String... v) {
        return put(key, GgufValue.ofArray(GgufArray.ofStrings(v.clone())));
    }

    public GgufWriter putFloat32Array(String key, float... v) {
        return put(key, GgufValue.ofArray(GgufArray.ofFloat32(v.clone())));
    }

    public GgufWriter putInt32Array(String key, int... v) {
        return put(key, GgufValue.ofArray(GgufArray.ofInt32(v.clone())));
    }

    /** Copies the metadata of {@code f} whose keys pass {@code keyFilter}, in file order, types unchanged. */
    public GgufWriter copyMetadataFrom(GgufFile f, Predicate<String> keyFilter) {
        f.metadata().forEach((k, v) -> {
            if (keyFilter.test(k)) {
                put(k, v);
            }
        });
        return this;
    }

    /** Metadata put so far, in order; unmodifiable. */
    public Map<String, GgufValue> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    /**
     * Declares a tensor; its bytes come from the {@link TensorWriter} when the file is written.
     * {@code shapeGgmlOrder[0]} is the contiguous dimension and must be a whole number of blocks.
     */
    public GgufWriter addTensor(String name, GgmlType type, long... shapeGgmlOrder) {
        checkName(name);
        long[] shape = shapeGgmlOrder.clone();
        if (shape.length < 1 || shape.length > GgufParser.MAX_DIMS) {
            throw EngineException.badInput("tensor " + name + " has " + shape.length + " dimensions (supported: 1.."
                    + GgufParser.MAX_DIMS + ")");
        }
        long elements = 1;
        for (long d : shape) {
            if (d < 1) {
                throw EngineException.badInput("tensor " + name + " has a dimension of " + d + " in " + Arrays.toString(shape));
            }
            elements = multiply(name, elements, d);
        }
        if (shape[0] % type.blockSize() != 0) {
            throw EngineException.badInput("tensor " + name + " of type " + type + " has rows of " + shape[0]
                    + " values, not a multiple of its block size " + type.blockSize());
        }
        long bytes = multiply(name, elements / type.blockSize(), type.blockBytes());
        tensorNames.add(name);
        tensors.add(new Planned(name, type, shape, bytes));
        return this;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw EngineException.badInput("a GGUF tensor name must not be empty");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw EngineException.badInput("tensor name " + name + " is longer than the " + MAX_NAME_BYTES
                    + " bytes llama.cpp allows");
        }
        if (tensorNames.contains(name)) {
            throw EngineException.badInput("tensor " + name + " was added twice");
        }
    }

    private static long multiply(String name, long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw EngineException.badInput("tensor " + name + " is too large to describe in 64 bits");
        }
    }

    /** Bytes of the tensor called {@code name} as declared, or -1 if there is none. */
    public long tensorByteSize(String name) {
        for (Planned p : tensors) {
            if (p.name.equals(name)) {
                return p.byteSize;
            }
        }
        return -1;
    }

    /** The alignment the file will use: {@code general.alignment} if put, else 32. */
    public long alignment() {
        GgufValue v = metadata.get(GgufParser.ALIGNMENT_KEY);
        if (v == null) {
            return GgufParser.DEFAULT_ALIGNMENT;
        }
        if (v.type() != GgufValueType.UINT32 || v.asLong() == 0 || Long.bitCount(v.asLong()) != 1) {
            throw EngineException.badInput(GgufParser.ALIGNMENT_KEY + " must be a UINT32 power of two, got " + v);
        }
        return v.asLong();
    }

    /**
     * Writes the file, asking {@code source} for each tensor's bytes in the order added. The file
     * appears at {@code out} only when complete.
     */
    public void write(Path out, TensorWriter source) {
        long alignment = alignment();
        ChannelOutput.writeFile(out, o -> {
            writeHead(o, alignment);
            for (Planned p : tensors) {
                o.writeTensor(p.name, p.byteSize, source);
                o.pad(alignment);
            }
        });
    }

    private void writeHead(ChannelOutput o, long alignment) throws IOException {
        o.putI32(GgufParser.MAGIC);
        o.putI32(3);
        o.putI64(tensors.size());
        o.putI64(metadata.size());
        for (Map.Entry<String, GgufValue> e : metadata.entrySet()) {
            GgufEncoder.writeString(o, e.getKey());
            GgufEncoder.writeValue(o, e.getValue());
        }
        long offset = 0;
        for (Planned p : tensors) {
            GgufEncoder.writeString(o, p.name);
            o.putI32(p.shape.length);
            for (long d : p.shape) {
                o.putI64(d);
            }
            o.putI32(p.type.id());
            o.putI64(offset);
            offset += GgufParser.alignUp(p.byteSize, alignment);
        }
        if (!tensors.isEmpty()) {
            // as gguf-py: a file without tensors has no data section to align, so it ends here
            o.pad(alignment);
        }
    }
}
