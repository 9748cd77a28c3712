package io.jynamo.llm;

/**
 * Text to token ids and back, as the model was trained to see it. Implementations: Hugging Face
 * {@code tokenizer.json} (through the HF tokenizers library) and tokenizers built from a GGUF file's
 * {@code tokenizer.ggml.*} metadata. Thread-safe.
 */
public interface Tokenizer {
    /**
     * Encodes text. With {@code addSpecialTokens} the tokenizer adds what its post-processor adds
     * (BOS for Llama, nothing for Qwen); special tokens written in the text (e.g. {@code <|eot_id|>})
     * are always parsed as the special tokens they name, as HF does.
     */
    int[] encode(String text, boolean addSpecialTokens);

    /** Decodes ids to text; with {@code skipSpecialTokens} special tokens (BOS, EOS, …) are left out. */
    String decode(int[] ids, boolean skipSpecialTokens);

    /** Number of ids, added tokens included. */
    int vocabSize();

    /** The id of a token written as text ({@code "<|eot_id|>"}), or -1 if the vocabulary has none. */
    int tokenId(String token);
}
