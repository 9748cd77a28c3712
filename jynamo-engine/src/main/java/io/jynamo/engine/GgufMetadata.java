package io.jynamo.engine;

import io.jynamo.engine.format.gguf.GgufFile;

import java.nio.file.Path;

/**
 * The metadata of a GGUF file as plain Java values, for modules that read a model file's tokenizer
 * ({@code tokenizer.ggml.*}) or name without loading its weights. Every problem with the file is
 * an {@link EngineException} naming it and the key.
 */
public final class GgufMetadata implements AutoCloseable {
    private final GgufFile file;

    private GgufMetadata(GgufFile file) {
        this.file = file;
    }

    /** Maps and validates {@code path}; close it to unmap. */
    public static GgufMetadata open(Path path) {
        return new GgufMetadata(GgufFile.open(path));
    }

    public boolean has(String key) {
        return file.has(key);
    }

    /** A required string value. */
    public String getString(String key) {
        return file.getString(key);
    }

    public int getInt(String key, int dflt) {
        return file.getInt(key, dflt);
    }

    public boolean getBoolean(String key, boolean dflt) {
        return file.getBoolean(key, dflt);
    }

    /** A required string array (a copy). */
    public String[] getStringArray(String key) {
        return file.getStringArray(key);
    }

    /** A required numeric array, as floats (a copy). */
    public float[] getFloatArray(String key) {
        return file.getFloatArray(key);
    }

    /** A required integer array, as ints (a copy). */
    public int[] getIntArray(String key) {
        return file.getIntArray(key);
    }

    @Override
    public void close() {
        file.close();
    }
}
