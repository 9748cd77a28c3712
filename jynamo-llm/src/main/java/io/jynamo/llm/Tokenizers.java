package io.jynamo.llm;

import io.jynamo.llm.tokenizer.GgufTokenizer;
import io.jynamo.llm.tokenizer.HfTokenizer;
import java.nio.file.Path;

/** Where tokenizers come from: a Hugging Face tokenizer.json, or a GGUF file's vocabulary. */
public final class Tokenizers {
    private Tokenizers() {
    }

    /** A tokenizer built from a GGUF vocabulary ("llama" SentencePiece or "gpt2" byte-level BPE). */
    public static Tokenizer fromGguf(GgufVocab vocab) {
        return new GgufTokenizer(vocab);
    }

    /** A Hugging Face tokenizer.json, or a directory holding one. */
    public static Tokenizer fromHuggingFace(Path tokenizerJsonOrDir) {
        return HfTokenizer.load(tokenizerJsonOrDir);
    }
}
