package io.jynamo.engine.format.safetensors;

import io.jynamo.engine.EngineException;
import io.jynamo.engine.format.gguf.Printable;
import io.jynamo.engine.GgmlType;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The weights of a Hugging Face model directory, every file mapped read-only. Files are found as
 * {@code transformers} finds them: {@code model.safetensors}; else {@code
 * model.safetensors.index.json} and the shards its {@code weight_map} names; else every {@code
 * *.safetensors} file in the directory. {@link #open} also accepts the path of one
 * {@code .safetensors} file.
 *
 * <p>Every header is validated at open. A tensor whose dtype the engine does not read (an integer
 * buffer, say) is reported only when asked for, so a checkpoint carrying one still opens.
 */
public final class SafetensorsModel implements AutoCloseable {
    static final String SINGLE = "model.safetensors";
    static final String INDEX = "model.safetensors.index.json";

    /** Where one tensor lives. */
    private record Located(Path file, SafetensorsHeader.Entry entry, MemorySegment data) {}

    private final Path directory;
    private final Arena arena;
    private final Map<String, Located> tensors;
    private final Map<String, String> metadata;

    private SafetensorsModel(Path directory, Arena arena, Map<String, Located> tensors, Map<String, String> metadata) {
        this.directory = directory;
        this.arena = arena;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Opens a model directory, or a single {@code .safetensors} file. */
    public static SafetensorsModel open(Path dir) {
        if (!Files.exists(dir)) {
            throw EngineException.notFound("model directory not found: " + dir);
        }
        Arena arena = Arena.ofShared();
        try {
            SafetensorsModel m = Files.isDirectory(dir) ? openDirectory(dir, arena) : openFiles(
                    dir.toAbsolutePath().getParent(), List.of(dir), arena);
            arena = null; // now owned by m
            return m;
        } finally {
            if (arena != null) {
                arena.close();
            }
        }
    }

    private static SafetensorsModel openDirectory(Path dir, Arena arena) {
        Path single = dir.resolve(SINGLE);
        if (Files.isRegularFile(single)) {
            return openFiles(dir, List.of(single), arena);
        }
        Path index = dir.resolve(INDEX);
        if (Files.isRegularFile(index)) {
            return openIndexed(dir, index, arena);
        }
        List<Path> all = listSafetensors(dir);
        if (all.isEmpty()) {
            throw EngineException.notFound(dir + ": no " + SINGLE + ", " + INDEX + " or *.safetensors file found");
        }
        return openFiles(dir, all, arena);
    }

    private static List<Path> listSafetensors(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".safetensors"))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw EngineException.badInput("cannot list model directory " + dir + ": " + e);
        }
    }

    /** Files without an index: every tensor of every file, and no name may appear twice. */
    private static SafetensorsModel openFiles(Path dir, List<Path> files, Arena arena) {
        Map<String, Located> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Path f : files) {
            Mapped m = read(f, arena, metadata);
            for (SafetensorsHeader.Entry e : m.header().entries()) {
                Located prev = tensors.put(e.name(), m.locate(e));
                if (prev != null) {
                    throw EngineException.badInput(dir + ": tensor " + Printable.of(e.name()) + " appears in both "
                            + prev.file().getFileName() + " and " + f.getFileName());
                }
            }
        }
        return new SafetensorsModel(dir, arena, tensors, metadata);
    }

    private static SafetensorsModel openIndexed(Path dir, Path index, Arena arena) {
        Map<String, Path> weightMap = SafetensorsIndex.read(dir, index);
        Map<Path, Mapped> shards = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Path shard : new LinkedHashSet<>(weightMap.values())) {
            shards.put(shard, read(shard, arena, metadata));
        }
        Map<String, Located> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Path> w : weightMap.entrySet()) {
            Mapped m = shards.get(w.getValue());
            SafetensorsHeader.Entry e = m.find(w.getKey());
            if (e == null) {
                throw EngineException.badInput(dir + ": tensor " + Printable.of(w.getKey()) + " listed in " + INDEX
                        + " is missing from shard " + w.getValue().getFileName());
            }
            tensors.put(w.getKey(), m.locate(e));
        }
        return new SafetensorsModel(dir, arena, tensors, metadata);
    }

    /** One mapped file and its header. */
    private record Mapped(Path file, MemorySegment mapping, SafetensorsHeader header) {
        Located locate(SafetensorsHeader.Entry e) {
            return new Located(file, e, mapping.asSlice(header.dataStart() + e.begin(), e.byteSize()));
        }

        SafetensorsHeader.Entry find(String name) {
            for (SafetensorsHeader.Entry e : header.entries()) {
                if (e.name().equals(name)) {
                    return e;
                }
            }
            return null;
        }
    }

    private static Mapped read(Path file, Arena arena, Map<String, String> metadata) {
        MemorySegment mapping = map(file, arena);
        SafetensorsHeader h = SafetensorsHeader.parse(file, mapping);
        h.metadata().forEach(metadata::putIfAbsent);
        return new Mapped(file, mapping, h);
    }

    private static MemorySegment map(Path file, Arena arena) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
        } catch (IOException | UnsupportedOperationException e) {
            throw EngineException.badInput("cannot read model file " + file + ": " + e);
        }
    }

    /** The model directory (for a single file, the directory holding it). */
    public Path directory() {
        return directory;
    }

    /** Tensor names, in file order (index order for a sharded model). */
    public Set<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    /** The {@code __metadata__} of the files, merged; the first file to set a key wins. */
    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    /** The raw safetensors dtype of {@code name} (e.g. {@code "BF16"}, {@code "I64"}), or null if absent. */
    public String dtype(String name) {
        Located l = tensors.get(name);
        return l == null ? null : l.entry().dtype();
    }

    /**
     * The tensor called {@code name}, or null if there is none; a dtype other than F32, F16 or BF16
     * is an error naming the dtype, tensor and file.
     */
    public SafetensorsTensor tensor(String name) {
        Located l = tensors.get(name);
        if (l == null) {
            return null;
        }
        GgmlType type = SafetensorsDtype.ggmlType(l.entry().dtype());
        if (type == null) {
            throw EngineException.badInput(l.file() + ": tensor " + Printable.of(name) + " has dtype "
                    + Printable.of(l.entry().dtype()) + ", which the engine does not read (supported: "
                    + SafetensorsDtype.SUPPORTED + ")");
        }
        return new SafetensorsTensor(name, type, l.entry().shape(), l.data());
    }

    /** Like {@link #tensor} but a missing tensor is an error. */
    public SafetensorsTensor require(String name) {
        SafetensorsTensor t = tensor(name);
        if (t == null) {
            throw EngineException.badInput(directory + ": missing tensor " + name);
        }
        return t;
    }

    /** Unmaps every file; tensors handed out before become invalid. Closing twice is harmless. */
    @Override
    public synchronized void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "SafetensorsModel[" + directory + ", " + tensors.size() + " tensors]";
    }
}
