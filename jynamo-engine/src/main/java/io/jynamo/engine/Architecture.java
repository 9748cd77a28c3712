package io.jynamo.engine;


import java.util.Locale;

/**
 * The decoder families the engine runs. They share one forward pass and differ in a few switches:
 * Qwen2 adds biases to q/k/v, Qwen3 normalises q and k per head, Mistral and Llama are the plain form.
 */
public enum Architecture {
    LLAMA("llama", false, false),
    MISTRAL("mistral", false, false),
    QWEN2("qwen2", true, false),
    QWEN3("qwen3", false, true);

    private final String ggufName;
    private final boolean qkvBias;
    private final boolean qkNorm;

    Architecture(String ggufName, boolean qkvBias, boolean qkNorm) {
        this.ggufName = ggufName;
        this.qkvBias = qkvBias;
        this.qkNorm = qkNorm;
    }

    /** The value of GGUF's general.architecture (Mistral files say "llama"). */
    public String ggufName() {
        return ggufName;
    }

    public boolean qkvBias() {
        return qkvBias;
    }

    public boolean qkNorm() {
        return qkNorm;
    }

    /** From GGUF's general.architecture. */
    public static Architecture fromGguf(String name) {
        return switch (name) {
            case "llama" -> LLAMA;
            case "mistral" -> MISTRAL;
            case "qwen2" -> QWEN2;
            case "qwen3" -> QWEN3;
            default -> throw unsupported(name);
        };
    }

    /** From a Hugging Face config.json "architectures" entry or "model_type". */
    public static Architecture fromHuggingFace(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "llamaforcausallm", "llama" -> LLAMA;
            case "mistralforcausallm", "mistral" -> MISTRAL;
            case "qwen2forcausallm", "qwen2" -> QWEN2;
            case "qwen3forcausallm", "qwen3" -> QWEN3;
            default -> throw unsupported(name);
        };
    }

    private static EngineException unsupported(String name) {
        return EngineException.badInput("unsupported architecture '" + name
                + "'; supported: llama (Llama 2/3), mistral, qwen2, qwen3");
    }
}
