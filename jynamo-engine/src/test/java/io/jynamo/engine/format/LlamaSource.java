package io.jynamo.engine.format;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Where llama.cpp's source tree is (for its vocab-only GGUF files): system property
 * {@code jyn.llamasrc}, else environment variable {@code JYN_LLAMASRC}, else /tmp/llamasrc.
 */
public final class LlamaSource {
    private LlamaSource() {}

    public static Path root() {
        String p = System.getProperty("jyn.llamasrc");
        if (p == null || p.isBlank()) {
            p = System.getenv("JYN_LLAMASRC");
        }
        if (p == null || p.isBlank()) {
            p = "/tmp/llamasrc";
        }
        return Path.of(p);
    }

    /** {@code models/NAME} under the source tree; skips the calling test when it is absent. */
    public static Path model(String name) {
        Path f = root().resolve("models").resolve(name);
        Assumptions.assumeTrue(Files.isRegularFile(f), "llama.cpp source not found: " + f);
        return f;
    }
}
