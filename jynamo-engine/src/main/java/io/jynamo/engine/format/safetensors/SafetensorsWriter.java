package io.jynamo.engine.format.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jynamo.engine.EngineException;
import io.jynamo.engine.format.gguf.ChannelOutput;
import io.jynamo.engine.format.gguf.GgufWriter.TensorWriter;
import io.jynamo.engine.GgmlType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes tensors as safetensors: one file, or shards plus {@code model.safetensors.index.json} as
 * {@code transformers} saves them. Tensor bytes are streamed from a {@link TensorWriter}, once per
 * tensor in the order added; the header is padded with spaces so the data starts 8-byte aligned.
 * Not thread-safe.
 */
public final class SafetensorsWriter {
    private record Planned(String name, GgmlType type, long[] shape, long byteSize) {}

    private final List<Planned> tensors = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** Declares a tensor of type F32, F16 or BF16; {@code shapeRowMajor}'s last dimension is contiguous. */
    public SafetensorsWriter addTensor(String name, GgmlType type, long... shapeRowMajor) {
        if (name == null || name.isEmpty() || name.equals(SafetensorsHeader.METADATA_KEY)) {
            throw EngineException.badInput("invalid safetensors tensor name '" + name + "'");
        }
        SafetensorsDtype.name(type, name);
        if (!names.add(name)) {
            throw EngineException.badInput("tensor " + name + " was added twice");
        }
        long elements = 1;
        try {
            for (long d : shapeRowMajor) {
                if (d < 0) {
                    throw EngineException.badInput("tensor " + name + " has a negative dimension in "
                            + Arrays.toString(shapeRowMajor));
                }
                elements = Math.multiplyExact(elements, d);
            }
            tensors.add(new Planned(name, type, shapeRowMajor.clone(), type.byteSize(elements)));
        } catch (ArithmeticException e) {
            names.remove(name);
            throw EngineException.badInput("tensor " + name + " is too large to describe in 64 bits");
        }
        return this;
    }

    /** Adds a {@code __metadata__} entry (transformers writes {@code "format": "pt"}). */
    public SafetensorsWriter putMetadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** Bytes of all tensors declared so far. */
    public long totalBytes() {
        long total = 0;
        for (Planned p : tensors) {
            total += p.byteSize;
        }
        return total;
    }

    /** Writes every tensor into {@code file}, which appears only when complete. */
    public void write(Path file, TensorWriter source) {
        writeFile(file, tensors, source);
    }

    /**
     * Writes shards of at most {@code maxShardBytes} of tensor data each (a larger tensor gets a
     * shard of its own), named {@code model-00001-of-0000N.safetensors}, and the index that maps
     * each tensor to its shard. Returns the shard paths in order.
     */
    public List<Path> writeSharded(Path dir, long maxShardBytes, TensorWriter source) {
        if (maxShardBytes <= 0) {
            throw EngineException.badInput("the shard size must be positive, got " + maxShardBytes);
        }
        List<List<Planned>> shards = split(maxShardBytes);
        List<Path> files = new ArrayList<>();
        ObjectNode weightMap = SafetensorsHeader.JSON.createObjectNode();
        for (int i = 0; i < shards.size(); i++) {
            String fileName = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
            Path file = dir.resolve(fileName);
            writeFile(file, shards.get(i), source);
            files.add(file);
            for (Planned p : shards.get(i)) {
                weightMap.put(p.name, fileName);
            }
        }
        writeIndex(dir.resolve(SafetensorsModel.INDEX), weightMap);
        return files;
    }

    private List<List<Planned>> split(long maxShardBytes) {
        List<List<Planned>> shards = new ArrayList<>();
        List<Planned> current = new ArrayList<>();
        long bytes = 0;
        for (Planned p : tensors) {
            if (!current.isEmpty() && bytes + p.byteSize > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(p);
            bytes += p.byteSize;
        }
        if (!current.isEmpty() || shards.isEmpty()) {
            shards.add(current);
        }
        return shards;
    }

    private void writeIndex(Path index, ObjectNode weightMap) {
        ObjectNode root = SafetensorsHeader.JSON.createObjectNode();
        root.putObject("metadata").put("total_size", totalBytes());
        root.set("weight_map", weightMap);
        byte[] json;
        try {
            json = SafetensorsHeader.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw EngineException.internal("cannot encode " + index, e);
        }
        ChannelOutput.writeFile(index, o -> o.putBytes(json));
    }

    private void writeFile(Path file, List<Planned> part, TensorWriter source) {
        byte[] header = header(part);
        ChannelOutput.writeFile(file, o -> {
            o.putI64(header.length);
            o.putBytes(header);
            for (Planned p : part) {
                o.writeTensor(p.name, p.byteSize, source);
            }
        });
    }

    /** The JSON header, padded with spaces to a multiple of 8 bytes. */
    private byte[] header(List<Planned> part) {
        ObjectNode root = SafetensorsHeader.JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = root.putObject(SafetensorsHeader.METADATA_KEY);
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (Planned p : part) {
            ObjectNode t = root.putObject(p.name);
            t.put("dtype", SafetensorsDtype.name(p.type, p.name));
            ArrayNode shape = t.putArray("shape");
            for (long d : p.shape) {
                shape.add(d);
            }
            t.putArray("data_offsets").add(offset).add(offset + p.byteSize);
            offset += p.byteSize;
        }
        String json;
        try {
            json = SafetensorsHeader.JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw EngineException.internal("cannot encode a safetensors header", e);
        }
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        int padded = (b.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(b, padded);
        Arrays.fill(out, b.length, padded, (byte) ' ');
        return out;
    }
}
