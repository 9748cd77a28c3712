package io.jynamo.engine.format.gguf;

import io.jynamo.engine.EngineException;
import io.jynamo.engine.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads and validates the header, metadata and tensor infos of a mapped GGUF file. */
final class GgufParser {
    static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
    static final long DEFAULT_ALIGNMENT = 32;
    static final String ALIGNMENT_KEY = "general.alignment";
    static final int MAX_DIMS = 4;
    static final int HEADER_BYTES = 24;

    /** Smallest encodings, used to bound counts before anything is allocated. */
    private static final int MIN_KV_BYTES = 8 + 4 + 1;
    private static final int MIN_TENSOR_INFO_BYTES = 8 + 4 + 8 + 4 + 8;

    /** What a parse yields; offsets in {@code tensors} are already absolute. */
    record Contents(int version, Map<String, GgufValue> metadata, List<GgufTensorInfo> tensors,
                    long alignment, long dataStart) {}

    private final Path path;
    private final MemorySegment seg;
    private final GgufCursor in;

    private GgufParser(Path path, MemorySegment seg) {
        this.path = path;
        this.seg = seg;
        this.in = new GgufCursor(seg, path);
    }

    static Contents parse(Path path, MemorySegment seg) {
        return new GgufParser(path, seg).parse();
    }

    private Contents parse() {
        int version = readHeaderStart();
        int nTensors = in.count("a tensor count of", 0);
        int nKv = in.count("a metadata count of", 0);
        checkFits("metadata count", nKv, MIN_KV_BYTES);
        Map<String, GgufValue> metadata = readMetadata(nKv);
        long alignment = alignment(metadata);
        checkFits("tensor count", nTensors, MIN_TENSOR_INFO_BYTES);
        List<GgufTensorInfo> relative = readTensorInfos(nTensors);
        long dataStart = alignUp(in.pos(), alignment);
        List<GgufTensorInfo> tensors = new ArrayList<>(nTensors);
        for (GgufTensorInfo t : relative) {
            tensors.add(place(t, dataStart, alignment));
        }
        return new Contents(version, Collections.unmodifiableMap(metadata), List.copyOf(tensors), alignment, dataStart);
    }

    private int readHeaderStart() {
        long size = seg.byteSize();
        if (size < 4) {
            throw EngineException.badInput(path + " is not a GGUF file (only " + size + " bytes)");
        }
        if (seg.get(GgufCursor.I32, 0) != MAGIC) {
            throw EngineException.badInput(path + " is not a GGUF file (magic " + magicText() + ", expected 'GGUF')");
        }
        if (size < HEADER_BYTES) {
            throw EngineException.badInput(path + " is truncated: the GGUF header needs " + HEADER_BYTES
                    + " bytes but the file has " + size);
        }
        in.i32();
        int version = in.i32();
        if (version != 2 && version != 3) {
            String hint = Integer.reverseBytes(version) == 2 || Integer.reverseBytes(version) == 3
                    ? "; big-endian GGUF files are not supported" : "";
            throw EngineException.badInput("unsupported GGUF version " + Integer.toUnsignedString(version)
                    + " in " + path + " (supported: 2, 3" + hint + ")");
        }
        return version;
    }

    private String magicText() {
        StringBuilder sb = new StringBuilder("0x");
        for (int i = 0; i < 4; i++) {
            sb.append(String.format("%02x", seg.get(ValueLayout.JAVA_BYTE, i) & 0xFF));
        }
        return sb.toString();
    }

    private void checkFits(String what, long n, int minBytesEach) {
        if (n > in.remaining() / minBytesEach) {
            throw EngineException.badInput(path + ": the header has a " + what + " of " + n
                    + ", which cannot fit in the " + in.remaining() + " bytes left in the file");
        }
    }

    private Map<String, GgufValue> readMetadata(int nKv) {
        Map<String, GgufValue> metadata = new LinkedHashMap<>();
        for (int i = 0; i < nKv; i++) {
            in.where("metadata entry #" + i);
            String key = in.string();
            if (key.isEmpty()) {
                throw EngineException.badInput(path + ": metadata entry #" + i + " has an empty key");
            }
            if (metadata.containsKey(key)) {
                throw EngineException.badInput(path + ": duplicate metadata key '" + Printable.of(key) + "'");
            }
            in.where("metadata key '" + Printable.of(key) + "'");
            metadata.put(key, readValue(key));
        }
        return metadata;
    }

    private GgufValue readValue(String key) {
        GgufValueType type = valueType(key, in.u32());
        if (type != GgufValueType.ARRAY) {
            return new GgufValue(type, readScalar(type));
        }
        GgufValueType elementType = valueType(key, in.u32());
        if (elementType == GgufValueType.ARRAY) {
            throw EngineException.badInput(path + ": metadata key '" + Printable.of(key) + "' is an array of arrays, which is not supported");
        }
        int minBytes = elementType == GgufValueType.STRING ? 8 : elementType.fixedSize();
        int n = in.count("an array length of", minBytes);
        return new GgufValue(GgufValueType.ARRAY, new GgufArray(elementType, readArray(elementType, n)));
    }

    private GgufValueType valueType(String key, long id) {
        GgufValueType t = GgufValueType.fromIdOrNull(id);
        if (t == null) {
            throw EngineException.badInput(path + ": metadata key '" + Printable.of(key) + "' has unknown value type id " + id);
        }
        return t;
    }

    private Object readScalar(GgufValueType type) {
        return switch (type) {
            case UINT8 -> (long) in.u8();
            case INT8 -> (long) (byte) in.u8();
            case UINT16 -> in.i16() & 0xFFFFL;
            case INT16 -> (long) in.i16();
            case UINT32 -> in.u32();
            case INT32 -> (long) in.i32();
            case UINT64, INT64 -> in.i64();
            case FLOAT32 -> in.f32();
            case FLOAT64 -> in.f64();
            case BOOL -> in.u8() != 0;
            case STRING -> in.string();
            case ARRAY -> throw new IllegalStateException("arrays are read by readValue");
        };
    }

    private Object readArray(GgufValueType t, int n) {
        return switch (t) {
            case UINT8, INT8 -> in.array(ValueLayout.JAVA_BYTE, n, new byte[n]);
            case UINT16, INT16 -> in.array(GgufCursor.I16, n, new short[n]);
            case UINT32, INT32 -> in.array(GgufCursor.I32, n, new int[n]);
            case UINT64, INT64 -> in.array(GgufCursor.I64, n, new long[n]);
            case FLOAT32 -> in.array(GgufCursor.F32, n, new float[n]);
            case FLOAT64 -> in.array(GgufCursor.F64, n, new double[n]);
            case BOOL -> {
                byte[] raw = (byte[]) in.array(ValueLayout.JAVA_BYTE, n, new byte[n]);
                boolean[] b = new boolean[n];
                for (int i = 0; i < n; i++) {
                    b[i] = raw[i] != 0;
                }
                yield b;
            }
            case STRING -> {
                String[] s = new String[n];
                for (int i = 0; i < n; i++) {
                    s[i] = in.string();
                }
                yield s;
            }
            case ARRAY -> throw new IllegalStateException("nested arrays are refused earlier");
        };
    }

    private long alignment(Map<String, GgufValue> metadata) {
        GgufValue v = metadata.get(ALIGNMENT_KEY);
        if (v == null) {
            return DEFAULT_ALIGNMENT;
        }
        if (v.type() != GgufValueType.UINT32) {
            throw EngineException.badInput(path + ": " + ALIGNMENT_KEY + " must be UINT32, got " + v.typeName());
        }
        long a = v.asLong();
        if (a == 0 || Long.bitCount(a) != 1) {
            throw EngineException.badInput(path + ": " + ALIGNMENT_KEY + " is " + a + ", not a power of 2");
        }
        return a;
    }

    private List<GgufTensorInfo> readTensorInfos(int n) {
        List<GgufTensorInfo> infos = new ArrayList<>(n);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < n; i++) {
            in.where("tensor info #" + i);
            String name = in.string();
            if (!names.add(name)) {
                throw EngineException.badInput(path + ": duplicate tensor name '" + Printable.of(name) + "'");
            }
            in.where("tensor info '" + Printable.of(name) + "'");
            long[] shape = readShape(name);
            GgmlType type = tensorType(name, in.u32());
            long byteSize = byteSize(name, type, shape);
            long offset = in.i64();
            infos.add(new GgufTensorInfo(name, type, shape, offset, byteSize));
        }
        return infos;
    }

    private long[] readShape(String name) {
        long nDims = in.u32();
        if (nDims < 1 || nDims > MAX_DIMS) {
            throw EngineException.badInput(path + ": tensor '" + Printable.of(name) + "' has " + nDims
                    + " dimensions (supported: 1.." + MAX_DIMS + ")");
        }
        long[] shape = new long[(int) nDims];
        for (int d = 0; d < shape.length; d++) {
            shape[d] = in.i64();
            if (shape[d] <= 0) {
                throw EngineException.badInput(path + ": tensor '" + Printable.of(name) + "' has dimension " + d + " of size "
                        + Long.toUnsignedString(shape[d]) + " (must be at least 1)");
            }
        }
        return shape;
    }

    private GgmlType tensorType(String name, long id) {
        try {
            return GgmlType.fromId((int) Math.min(id, Integer.MAX_VALUE));
        } catch (EngineException e) {
            throw EngineException.badInput(path + ": tensor '" + Printable.of(name) + "': " + e.getMessage());
        }
    }

    private long byteSize(String name, GgmlType type, long[] shape) {
        if (shape[0] % type.blockSize() != 0) {
            throw EngineException.badInput(path + ": tensor '" + Printable.of(name) + "' of type " + type + " has rows of "
                    + shape[0] + " values, not a multiple of its block size " + type.blockSize());
        }
        try {
            long elements = 1;
            for (long d : shape) {
                elements = Math.multiplyExact(elements, d);
            }
            return Math.multiplyExact(elements / type.blockSize(), (long) type.blockBytes());
        } catch (ArithmeticException e) {
            throw EngineException.badInput(path + ": tensor '" + Printable.of(name) + "' with shape " + Arrays.toString(shape)
                    + " has more elements than fit in 64 bits");
        }
    }

    private GgufTensorInfo place(GgufTensorInfo t, long dataStart, long alignment) {
        long rel = t.offset();
        if (rel < 0 || rel % alignment != 0) {
            throw EngineException.badInput(path + ": tensor '" + Printable.of(t.name()) + "' has offset "
                    + Long.toUnsignedString(rel) + ", not a multiple of the alignment " + alignment);
        }
        long size = seg.byteSize();
        if (rel > size || dataStart + rel > size || t.byteSize() > size - (dataStart + rel)) {
            BigInteger from = BigInteger.valueOf(dataStart).add(BigInteger.valueOf(rel));
            throw EngineException.badInput(path + " is truncated: tensor " + Printable.of(t.name()) + " needs bytes "
                    + from + ".." + from.add(BigInteger.valueOf(t.byteSize())) + " but the file has " + size);
        }
        long start = dataStart + rel;
        return new GgufTensorInfo(t.name(), t.type(), t.shape(), start, t.byteSize());
    }

    static long alignUp(long pos, long alignment) {
        return (pos + alignment - 1) / alignment * alignment;
    }
}
