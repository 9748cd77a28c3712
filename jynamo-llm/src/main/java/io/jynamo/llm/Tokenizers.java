package io.jynamo.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jynamo.llm.tokenizer.GgufTokenizer;
import io.jynamo.llm.tokenizer.HfBpeTokenizer;
import io.jynamo.llm.tokenizer.HfTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where tokenizers come from: a Hugging Face tokenizer.json, or a GGUF file's vocabulary. */
public final class Tokenizers {
    private Tokenizers() {
    }

    /** A tokenizer built from a GGUF vocabulary ("llama" SentencePiece or "gpt2" byte-level BPE). */
    public static Tokenizer fromGguf(GgufVocab vocab) {
        return new GgufTokenizer(vocab);
    }

    /**
     * A Hugging Face tokenizer.json, or a directory holding one. Byte-level BPE files whose every stage
     * {@link HfBpeTokenizer} reproduces exactly (Llama 3, Qwen2/3, GPT-2 style) run on this module's own
     * BPE; anything else runs on the HF library ({@link HfTokenizer}).
     */
    public static Tokenizer fromHuggingFace(Path tokenizerJsonOrDir) {
        Path file = Files.isDirectory(tokenizerJsonOrDir) ? tokenizerJsonOrDir.resolve("tokenizer.json")
                : tokenizerJsonOrDir;
        if (Files.isRegularFile(file)) {
            JsonNode root;
            try {
                root = new ObjectMapper().readTree(file.toFile());
            } catch (IOException e) {
                throw LlmException.badInput("tokenizer file " + file + " is not valid JSON: " + e.getMessage(), e);
            }
            HfBpeTokenizer fast = HfBpeTokenizer.recognise(root);
            if (fast != null) {
                return fast;
            }
        }
        return HfTokenizer.load(tokenizerJsonOrDir);
    }
}
