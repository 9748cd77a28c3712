package io.jynamo.engine.format.gguf;

import io.jynamo.engine.EngineException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * An open GGUF file: its metadata and tensor infos, parsed and validated once, and the whole file
 * mapped read-only so {@link #tensorData} hands out slices of the mapping without copying.
 *
 * <p>The mapping belongs to a shared arena owned by this object: segments from {@link #tensorData}
 * may be read from any thread, and become invalid after {@link #close()}.
 */
public final class GgufFile implements AutoCloseable {
    private final Path path;
    private final Arena arena;
    private final MemorySegment mapping;
    private final GgufParser.Contents contents;
    private final Map<String, GgufTensorInfo> byName;

    private GgufFile(Path path, Arena arena, MemorySegment mapping, GgufParser.Contents contents) {
        this.path = path;
        this.arena = arena;
        this.mapping = mapping;
        this.contents = contents;
        Map<String, GgufTensorInfo> m = new LinkedHashMap<>();
        for (GgufTensorInfo t : contents.tensors()) {
            m.put(t.name(), t);
        }
        this.byName = m;
    }

    /** Maps and validates {@code path}; every problem with the file is an {@link EngineException} naming it. */
    public static GgufFile open(Path path) {
        if (!Files.exists(path)) {
            throw EngineException.notFound("model file not found: " + path);
        }
        if (Files.isDirectory(path)) {
            throw EngineException.badInput(path + " is a directory, not a GGUF file");
        }
        Arena arena = Arena.ofShared();
        try {
            MemorySegment mapping = map(path, arena);
            GgufFile f = new GgufFile(path, arena, mapping, GgufParser.parse(path, mapping));
            arena = null; // now owned by f
            return f;
        } finally {
            if (arena != null) {
                arena.close();
            }
        }
    }

    private static MemorySegment map(Path path, Arena arena) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
        } catch (IOException | UnsupportedOperationException e) {
            throw EngineException.badInput("cannot read model file " + path + ": " + e);
        }
    }

    public Path path() {
        return path;
    }

    /** The GGUF version, 2 or 3. */
    public int version() {
        return contents.version();
    }

    /** All metadata, in file order; unmodifiable. */
    public Map<String, GgufValue> metadata() {
        return contents.metadata();
    }

    public Optional<GgufValue> get(String key) {
        return Optional.ofNullable(contents.metadata().get(key));
    }

    public boolean has(String key) {
        return contents.metadata().containsKey(key);
    }

    /** A required string value. */
    public String getString(String key) {
        return convert(key, require(key), v -> v.asString(key));
    }

    /** A required integer value that fits an int. */
    public int getInt(String key) {
        return convert(key, require(key), v -> v.asInt(key));
    }

    public int getInt(String key, int dflt) {
        GgufValue v = contents.metadata().get(key);
        return v == null ? dflt : convert(key, v, x -> x.asInt(key));
    }

    public long getLong(String key, long dflt) {
        GgufValue v = contents.metadata().get(key);
        return v == null ? dflt : convert(key, v, x -> x.asLong(key));
    }

    public float getFloat(String key, float dflt) {
        GgufValue v = contents.metadata().get(key);
        return v == null ? dflt : convert(key, v, x -> x.asFloat(key));
    }

    public boolean getBoolean(String key, boolean dflt) {
        GgufValue v = contents.metadata().get(key);
        return v == null ? dflt : convert(key, v, x -> x.asBoolean(key));
    }

    /** A required string array (a copy). */
    public String[] getStringArray(String key) {
        return convert(key, require(key), v -> v.asStringArray(key));
    }

    /** A required numeric array, as floats (a copy). */
    public float[] getFloatArray(String key) {
        return convert(key, require(key), v -> v.asFloatArray(key));
    }

    /** A required integer array, as ints (a copy). */
    public int[] getIntArray(String key) {
        return convert(key, require(key), v -> v.asIntArray(key));
    }

    private GgufValue require(String key) {
        GgufValue v = contents.metadata().get(key);
        if (v == null) {
            throw EngineException.badInput(path + ": missing metadata key " + key);
        }
        return v;
    }

    /** Runs an accessor and adds the file name to its error. */
    private <T> T convert(String key, GgufValue v, Function<GgufValue, T> accessor) {
        try {
            return accessor.apply(v);
        } catch (EngineException e) {
            throw new EngineException(e.category(), path + ": " + e.getMessage());
        }
    }

    /** Tensor infos in file order. */
    public List<GgufTensorInfo> tensors() {
        return contents.tensors();
    }

    /** The tensor called {@code name}, or null. */
    public GgufTensorInfo tensor(String name) {
        return byName.get(name);
    }

    /** The bytes of {@code t}, a slice of the mapping (no copy). */
    public MemorySegment tensorData(GgufTensorInfo t) {
        if (byName.get(t.name()) != t && !t.equals(byName.get(t.name()))) {
            throw EngineException.badInput(path + " has no tensor " + t);
        }
        return mapping.asSlice(t.offset(), t.byteSize());
    }

    /** Alignment of the data section and of each tensor in it. */
    public long alignment() {
        return contents.alignment();
    }

    /** Absolute file offset where the data section starts. */
    public long dataStart() {
        return contents.dataStart();
    }

    /** The whole file, mapped. */
    public MemorySegment mapping() {
        return mapping;
    }

    /** Unmaps the file; segments handed out before become invalid. Closing twice is harmless. */
    @Override
    public synchronized void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "GgufFile[" + path + ", v" + version() + ", " + metadata().size() + " keys, " + tensors().size() + " tensors]";
    }
}
