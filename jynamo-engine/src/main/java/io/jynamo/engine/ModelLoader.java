package io.jynamo.engine;

import io.jynamo.engine.model.gguf.GgufModelLoader;
import io.jynamo.engine.model.hf.HfModelLoader;

import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a model from what a user downloaded: a GGUF file or a Hugging Face model directory. */
public final class ModelLoader {
    private ModelLoader() {}

    public static Model load(Path path) {
        if (Files.isDirectory(path)) {
            return HfModelLoader.load(path);
        }
        if (!Files.exists(path)) {
            throw EngineException.notFound("model not found: " + path
                    + " (give a .gguf file or a Hugging Face model directory)");
        }
        return GgufModelLoader.load(path);
    }
}
