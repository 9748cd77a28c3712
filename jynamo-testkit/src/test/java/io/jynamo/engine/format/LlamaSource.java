package io.jynamo.engine.format;

import io.jynamo.testkit.TestAssets;

import java.nio.file.Path;

/** llama.cpp's source tree as scripts/setup-test-deps.sh installed it (for its vocab-only GGUF files). */
public final class LlamaSource {
    private LlamaSource() {}

    public static Path root() {
        return TestAssets.locate().llamaCppSource();
    }

    /** {@code models/NAME} under the source tree; a missing file fails the test (the setup script installs it). */
    public static Path model(String name) {
        return root().resolve("models").resolve(name);
    }
}
