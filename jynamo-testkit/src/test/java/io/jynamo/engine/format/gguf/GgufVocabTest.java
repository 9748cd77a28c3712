package io.jynamo.engine.format.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jynamo.engine.format.LlamaSource;
import io.jynamo.engine.GgmlType;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reads llama.cpp's real vocab-only GGUF files and writes their metadata back out. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GgufVocabTest {
    @TempDir
    Path dir;

    @Test
    void readsLlama3Vocabulary() {
        try (GgufFile f = GgufFile.open(LlamaSource.model("ggml-vocab-llama-bpe.gguf"))) {
            assertEquals(3, f.version());
            assertEquals("gpt2", f.getString("tokenizer.ggml.model"));
            assertEquals("llama-bpe", f.getString("tokenizer.ggml.pre"));
            String[] tokens = f.getStringArray("tokenizer.ggml.tokens");
            assertEquals(128256, tokens.length);
            assertEquals("!", tokens[0]);
            assertEquals(128256, f.getIntArray("tokenizer.ggml.token_type").length);
            assertEquals(128000, f.getInt("tokenizer.ggml.bos_token_id"));
            assertTrue(f.tensors().isEmpty());
        }
    }

    @Test
    void copiedTokenizerMetadataReadsBackEqual() {
        Path out = dir.resolve("with-vocab.gguf");
        Map<String, GgufValue> expected = new LinkedHashMap<>();
        try (GgufFile vocab = GgufFile.open(LlamaSource.model("ggml-vocab-llama-bpe.gguf"))) {
            GgufWriter w = new GgufWriter().putString("general.architecture", "llama");
            w.copyMetadataFrom(vocab, k -> k.startsWith("tokenizer."));
            w.addTensor("token_embd.weight", GgmlType.F16, 64, 4);
            w.write(out, (n, ch) -> ch.write(ByteBuffer.allocate(64 * 4 * 2)));
            vocab.metadata().forEach((k, v) -> {
                if (k.startsWith("tokenizer.")) {
                    expected.put(k, v);
                }
            });
        }
        try (GgufFile f = GgufFile.open(out)) {
            Map<String, GgufValue> got = new LinkedHashMap<>(f.metadata());
            assertEquals("llama", got.remove("general.architecture").asString());
            assertEquals(expected, got);
            assertTrue(expected.keySet().containsAll(java.util.List.of("tokenizer.ggml.tokens",
                    "tokenizer.ggml.token_type", "tokenizer.ggml.merges", "tokenizer.ggml.bos_token_id")));
            assertEquals(1, f.tensors().size());
        }
    }

    /** Metadata written back in the same order must give the same bytes, for every vocab llama.cpp ships. */
    @ParameterizedTest
    @ValueSource(strings = {"ggml-vocab-llama-bpe.gguf", "ggml-vocab-llama-spm.gguf", "ggml-vocab-qwen2.gguf",
        "ggml-vocab-gpt-2.gguf", "ggml-vocab-phi-3.gguf", "ggml-vocab-bert-bge.gguf", "ggml-vocab-command-r.gguf"})
    void rewritingAVocabFileReproducesItByteForByte(String name) throws Exception {
        Path src = LlamaSource.model(name);
        Path out = dir.resolve(name);
        try (GgufFile f = GgufFile.open(src)) {
            new GgufWriter().copyMetadataFrom(f, k -> true).write(out, (n, ch) -> {});
        }
        assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(out));
    }
}
