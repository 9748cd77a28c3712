package io.jynamo.engine;

import io.jynamo.engine.serve.JynamoEngine;

/** Starts the engines this module provides; other modules reach them here, not in its sub-packages. */
public final class Engines {
    private Engines() {}

    /**
     * The continuous-batching engine for {@code model} on the CPU backend, its settings concluded
     * once ({@link EngineConfig#conclude}). The model stays the caller's: closing the engine frees
     * its threads and KV pool only.
     */
    public static ServingEngine start(Model model, EngineConfig config) {
        return new JynamoEngine(model, config);
    }
}
