package io.jynamo.engine.format.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import io.jynamo.engine.EngineException;
import io.jynamo.engine.format.gguf.Printable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads {@code model.safetensors.index.json}: which shard file holds each tensor. */
final class SafetensorsIndex {
    private SafetensorsIndex() {}

    /** Tensor name to shard path, in the index's order; every shard exists inside {@code dir}. */
    static Map<String, Path> read(Path dir, Path index) {
        byte[] json;
        try {
            json = Files.readAllBytes(index);
        } catch (IOException e) {
            throw EngineException.badInput("cannot read " + index + ": " + e);
        }
        JsonNode weightMap = SafetensorsHeader.readJson(index, json).get("weight_map");
        if (weightMap == null || !weightMap.isObject()) {
            throw EngineException.badInput(index + " has no weight_map object");
        }
        Path base = dir.toAbsolutePath().normalize();
        Map<String, Path> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : weightMap.properties()) {
            if (!e.getValue().isTextual()) {
                throw EngineException.badInput(index + ": weight_map entry for " + Printable.of(e.getKey())
                        + " is not a file name");
            }
            out.put(e.getKey(), shard(index, base, e.getValue().textValue()));
        }
        return out;
    }

    private static Path shard(Path index, Path base, String name) {
        Path p;
        try {
            p = base.resolve(name).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw EngineException.badInput(index + " names shard " + Printable.of(name) + ", which is not a valid file name");
        }
        if (!base.equals(p.getParent())) {
            throw EngineException.badInput(index + " names shard " + Printable.of(name)
                    + ", which is outside the model directory");
        }
        if (!Files.isRegularFile(p)) {
            throw EngineException.notFound(index + " names shard " + Printable.of(name) + ", which does not exist");
        }
        return p;
    }
}
