package io.jynamo.llm.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jynamo.llm.LlmException;
import io.jynamo.llm.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json}, run by the HF tokenizers library (Rust, through DJL) with
 * truncation and padding off. Special tokens written in the text are parsed as HF does. The vocabulary
 * (for {@link #tokenId} and {@link #vocabSize}) is read from the same file.
 */
public final class HfTokenizer implements Tokenizer {
    private final Path file;
    private final HuggingFaceTokenizer hf;
    private final Map<String, Integer> tokenToId;
    private final int vocabSize;

    private HfTokenizer(Path file, HuggingFaceTokenizer hf, Map<String, Integer> tokenToId) {
        this.file = file;
        this.hf = hf;
        this.tokenToId = tokenToId;
        this.vocabSize = tokenToId.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    }

    /** Loads {@code tokenizer.json}, or the one inside a directory. */
    public static HfTokenizer load(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
        if (!Files.isRegularFile(file)) {
            throw LlmException.notFound("tokenizer file not found: " + file);
        }
        Map<String, Integer> vocab = readVocab(file);
        DjlSetup.configure();
        Map<String, String> options = Map.of("truncation", "false", "padding", "false",
                "addSpecialTokens", "true", "withOverflowingTokens", "false");
        try {
            return new HfTokenizer(file, HuggingFaceTokenizer.newInstance(file, options), vocab);
        } catch (IOException | RuntimeException e) {
            throw LlmException.badInput("cannot load tokenizer " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Integer> readVocab(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw LlmException.badInput("tokenizer file " + file + " is not valid JSON: " + e.getMessage(), e);
        }
        JsonNode vocab = root.path("model").path("vocab");
        if (!vocab.isObject()) {
            throw LlmException.badInput("tokenizer file " + file + " has no model.vocab object");
        }
        Map<String, Integer> map = new HashMap<>(vocab.size() * 2);
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            map.put(e.getKey(), e.getValue().asInt());
        }
        for (JsonNode added : root.path("added_tokens")) {
            map.put(added.path("content").asText(), added.path("id").asInt());
        }
        return map;
    }

    public Path file() {
        return file;
    }

    @Override
    public int[] encode(String text, boolean addSpecialTokens) {
        Encoding enc = hf.encode(text, addSpecialTokens, false);
        long[] ids = enc.getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabSize) {
                throw LlmException.badInput("token id " + ids[i] + " is outside the vocabulary of " + vocabSize);
            }
            longs[i] = ids[i];
        }
        return hf.decode(longs, skipSpecialTokens);
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int tokenId(String token) {
        Integer id = tokenToId.get(token);
        return id == null ? -1 : id;
    }
}
