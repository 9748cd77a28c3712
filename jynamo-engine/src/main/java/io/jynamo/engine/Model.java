package io.jynamo.engine;

import io.jynamo.engine.model.ModelWeights;

/**
 * A loaded model: its configuration, its weights, and the file mappings that back them. Closing it
 * unmaps the files; no weight may be used afterwards.
 */
public record Model(ModelConfig config, ModelWeights weights, String source, AutoCloseable resources)
        implements AutoCloseable {
    @Override
    public void close() {
        try {
            resources.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing " + source, e);
        }
    }
}
