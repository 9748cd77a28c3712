package io.jynamo.llm;

import java.util.Objects;

/**
 * A GGUF file's {@code tokenizer.ggml.*} metadata, read by whoever opens the file (this module has no
 * GGUF reader). Arrays are taken as they are, not copied: callers hand over arrays they no longer write.
 *
 * @param model          {@code tokenizer.ggml.model}: "llama" (SentencePiece BPE) or "gpt2" (byte-level BPE)
 * @param pre            {@code tokenizer.ggml.pre}: the pre-tokenizer's name ("llama-bpe", "qwen2", "gpt-2", …), or null
 * @param tokens         {@code tokenizer.ggml.tokens}
 * @param scores         {@code tokenizer.ggml.scores}, or null (SPM needs them)
 * @param tokenTypes     {@code tokenizer.ggml.token_type} (1 normal, 2 unknown, 3 control, 4 user-defined,
 *                       5 unused, 6 byte), or null (all normal)
 * @param merges         {@code tokenizer.ggml.merges} ("a b" per rank), or null (BPE needs them)
 * @param bosId          {@code tokenizer.ggml.bos_token_id}, or -1
 * @param eosId          {@code tokenizer.ggml.eos_token_id}, or -1
 * @param unkId          {@code tokenizer.ggml.unknown_token_id}, or -1
 * @param padId          {@code tokenizer.ggml.padding_token_id}, or -1
 * @param addBos         {@code tokenizer.ggml.add_bos_token}, or null for the model's default (as llama.cpp)
 * @param addEos         {@code tokenizer.ggml.add_eos_token}, or null for the model's default
 * @param addSpacePrefix {@code tokenizer.ggml.add_space_prefix}, or null for the model's default (true for SPM)
 * @param modelName      {@code general.name}, or null (llama.cpp strips spaces after Phi-3's special tokens by name)
 * @param chatTemplate   {@code tokenizer.chat_template}, or null
 */
public record GgufVocab(String model, String pre, String[] tokens, float[] scores, int[] tokenTypes, String[] merges,
                        int bosId, int eosId, int unkId, int padId, Boolean addBos, Boolean addEos,
                        Boolean addSpacePrefix, String modelName, String chatTemplate) {
    public static final int TYPE_NORMAL = 1;

    public static final int TYPE_UNKNOWN = 2;
    public static final int TYPE_CONTROL = 3;
    public static final int TYPE_USER_DEFINED = 4;
    public static final int TYPE_UNUSED = 5;
    public static final int TYPE_BYTE = 6;

    public GgufVocab {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(tokens, "tokens");
        int n = tokens.length;
        if (scores != null && scores.length != n) {
            throw LlmException.badInput("GGUF vocab: " + scores.length + " scores for " + n + " tokens");
        }
        if (tokenTypes != null && tokenTypes.length != n) {
            throw LlmException.badInput("GGUF vocab: " + tokenTypes.length + " token types for " + n + " tokens");
        }
        for (int id : new int[] {bosId, eosId, unkId, padId}) {
            if (id < -1 || id >= n) {
                throw LlmException.badInput("GGUF vocab: special token id " + id + " outside a vocabulary of " + n);
            }
        }
    }

    /** The same vocabulary with another chat template. */
    public GgufVocab withChatTemplate(String template) {
        return new GgufVocab(model, pre, tokens, scores, tokenTypes, merges, bosId, eosId, unkId, padId, addBos, addEos,
                addSpacePrefix, modelName, template);
    }

    /** The type of token {@code id} ({@link #TYPE_NORMAL} when the file has no types). */
    public int tokenType(int id) {
        return tokenTypes == null ? TYPE_NORMAL : tokenTypes[id];
    }
}
