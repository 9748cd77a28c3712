package io.jynamo.worker;

import io.jynamo.engine.EngineConfig;
import io.jynamo.engine.ModelConfig;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a worker serves and how.
 *
 * @param modelPath      a GGUF file or a Hugging Face model directory
 * @param servedName     the model name clients ask for
 * @param namespace      the discovery namespace its endpoints live in
 * @param engine         the engine behind the endpoint
 * @param engineSettings the engine's configuration for the loaded model (the flags, concluded against it)
 * @param contextLength  longest sequence, 0 = the model's own (the card and the engine agree on it)
 * @param kvBlockSize    tokens per KV block (the card advertises it for routing by prefix)
 * @param echoDelayNanos {@link EngineKind#ECHO}: pause before each echoed token
 * @param warmupMs       run small batches through every kernel before serving, at most this long (0 = none)
 * @param chatTemplate   a Jinja file that replaces the model's chat template, or null ({@code --chat-template});
 *                       it travels with the card files, so every frontend renders with it
 */
public record WorkerConfig(Path modelPath, String servedName, String namespace, EngineKind engine,
                           EngineSettings engineSettings, int contextLength, int kvBlockSize, long echoDelayNanos,
                           long warmupMs, Path chatTemplate) {
    /** The component and endpoint names of the generate endpoint, as in the reference deployment. */
    public static final String COMPONENT = "backend";
    public static final String ENDPOINT = "generate";

    public WorkerConfig {
        Objects.requireNonNull(modelPath, "modelPath");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(engineSettings, "engineSettings");
        if (servedName == null || servedName.isBlank()) {
            throw WorkerException.badInput("the served model name is empty");
        }
        if (namespace == null || !namespace.matches("[A-Za-z0-9_-]+")) {
            throw WorkerException.badInput("the namespace must be letters, digits, '-' or '_', got '" + namespace + "'");
        }
        if (contextLength < 0 || kvBlockSize < 1 || echoDelayNanos < 0 || warmupMs < 0) {
            throw WorkerException.badInput("context length, echo delay and warm-up cannot be negative, and a KV block "
                    + "holds at least one token");
        }
    }

    /** A worker with the model's own chat template. */
    public WorkerConfig(Path modelPath, String servedName, String namespace, EngineKind engine,
                        EngineSettings engineSettings, int contextLength, int kvBlockSize, long echoDelayNanos,
                        long warmupMs) {
        this(modelPath, servedName, namespace, engine, engineSettings, contextLength, kvBlockSize, echoDelayNanos,
                warmupMs, null);
    }

    /** The engine behind a worker's endpoint. */
    public enum EngineKind {
        /** Jynamo's own inference engine. */
        JYNAMO,
        /** Streams each prompt back (tests the layers above without a model's cost). */
        ECHO
    }

    /** The engine's configuration for a loaded model, whose EOS ids come from its card. */
    @FunctionalInterface
    public interface EngineSettings {
        EngineConfig configure(ModelConfig model, int[] eosTokenIds);
    }

    /** The served name a model path gets by default: its file name without {@code .gguf}, or its directory name. */
    public static String defaultServedName(Path modelPath) {
        String file = modelPath.toAbsolutePath().normalize().getFileName().toString();
        return file.endsWith(".gguf") ? file.substring(0, file.length() - 5) : file;
    }
}
