package io.jynamo.llm;

import io.jynamo.engine.GgufMetadata;
import io.jynamo.testkit.TestAssets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Test vocabularies: llama.cpp's vocab-only GGUFs read with the engine's GGUF reader, and their test vectors. */
public final class TestVocabs {
    private static final Map<String, GgufVocab> CACHE = new ConcurrentHashMap<>();
    private static final Map<String, Tokenizer> TOKENIZERS = new ConcurrentHashMap<>();

    private TestVocabs() {
    }

    public static TestAssets assets() {
        return TestAssets.locate();
    }

    /** The vocabulary of models/ggml-vocab-NAME.gguf. */
    public static GgufVocab vocab(String name) {
        return CACHE.computeIfAbsent(name, n -> read(assets().vocabGguf(n)));
    }

    public static Tokenizer gguf(String name) {
        return TOKENIZERS.computeIfAbsent("gguf:" + name, n -> Tokenizers.fromGguf(vocab(name)));
    }

    public static Tokenizer hf(String packageSuffix) {
        return TOKENIZERS.computeIfAbsent("hf:" + packageSuffix,
                n -> Tokenizers.fromHuggingFace(assets().hfTokenizer(packageSuffix).resolve("tokenizer.json")));
    }

    static GgufVocab read(Path path) {
        try (GgufMetadata f = GgufMetadata.open(path)) {
            String p = "tokenizer.ggml.";
            return new GgufVocab(
                    f.getString(p + "model"),
                    f.has(p + "pre") ? f.getString(p + "pre") : null,
                    f.getStringArray(p + "tokens"),
                    f.has(p + "scores") ? f.getFloatArray(p + "scores") : null,
                    f.has(p + "token_type") ? f.getIntArray(p + "token_type") : null,
                    f.has(p + "merges") ? f.getStringArray(p + "merges") : null,
                    f.getInt(p + "bos_token_id", -1),
                    f.getInt(p + "eos_token_id", -1),
                    f.getInt(p + "unknown_token_id", -1),
                    f.getInt(p + "padding_token_id", -1),
                    f.has(p + "add_bos_token") ? f.getBoolean(p + "add_bos_token", false) : null,
                    f.has(p + "add_eos_token") ? f.getBoolean(p + "add_eos_token", false) : null,
                    f.has(p + "add_space_prefix") ? f.getBoolean(p + "add_space_prefix", false) : null,
                    f.has("general.name") ? f.getString("general.name") : null,
                    f.has("tokenizer.chat_template") ? f.getString("tokenizer.chat_template") : null);
        }
    }

    /** One case of llama.cpp's test-tokenizer-0: the text and the ids it must encode to. */
    public record Case(String text, int[] ids) {
    }

    /** The .inp/.out cases beside models/ggml-vocab-NAME.gguf, split as test-tokenizer-0.cpp splits them. */
    public static List<Case> cases(String name) {
        Path gguf = assets().vocabGguf(name);
        try {
            String raw = Files.readString(Path.of(gguf + ".inp"), StandardCharsets.UTF_8);
            List<String> out = Files.readAllLines(Path.of(gguf + ".out"), StandardCharsets.UTF_8);
            String sep = "\n__ggml_vocab_test__\n";
            List<String> inputs = new ArrayList<>();
            int pos = 0;
            while (pos < raw.length()) {
                int next = raw.indexOf(sep, pos);
                if (next < 0) {
                    inputs.add(raw.substring(pos));
                    break;
                }
                inputs.add(raw.substring(pos, next));
                pos = next + sep.length();
            }
            if (inputs.size() != out.size()) {
                throw new IllegalStateException(name + ": " + inputs.size() + " inputs, " + out.size() + " outputs");
            }
            List<Case> cases = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                String o = out.get(i).strip();
                int[] ids = o.isEmpty() ? new int[0]
                        : java.util.Arrays.stream(o.split(" ")).mapToInt(Integer::parseInt).toArray();
                cases.add(new Case(inputs.get(i), ids));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
