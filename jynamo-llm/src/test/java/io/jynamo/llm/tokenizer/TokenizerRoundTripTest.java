package io.jynamo.llm.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jynamo.llm.TestVocabs;
import io.jynamo.llm.Tokenizer;
import io.jynamo.llm.UnicodeCorpus;
import java.text.Normalizer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TokenizerRoundTripTest {

    private static Tokenizer tokenizer(String name) {
        return name.startsWith("hf:") ? TestVocabs.hf(name.substring(3)) : TestVocabs.gguf(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "llama-bpe", "qwen2", "gpt-2", "phi-3", "hf:llama3", "hf:qwen3"})
    void decodeOfEncodeGivesTheTextBack(String name) {
        Tokenizer tok = tokenizer(name);
        for (String text : UnicodeCorpus.TEXTS) {
            // Qwen's tokenizer.json normalizes to NFC before anything else, so that is the text it gives back.
            String expected = name.equals("hf:qwen3") ? Normalizer.normalize(text, Normalizer.Form.NFC) : text;
            int[] ids = tok.encode(text, false);
            assertEquals(expected, tok.decode(ids, false), name + " round trip of '" + text + "'");
            assertEquals(expected, tok.decode(ids, true), name + " round trip (skipping specials) of '" + text + "'");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "llama-bpe", "qwen2", "phi-3", "hf:llama3", "hf:qwen3"})
    void specialTokensInTextAreParsedAndSkippable(String name) {
        Tokenizer tok = tokenizer(name);
        String special = name.contains("llama-spm") ? "</s>" : name.contains("phi-3") ? "<|end|>"
                : name.contains("qwen") ? "<|im_end|>" : "<|eot_id|>";
        int id = tok.tokenId(special);
        assertTrue(id >= 0, special + " in " + name);
        int[] ids = tok.encode("Hi" + special, false);
        assertEquals(id, ids[ids.length - 1], name + " parses " + special);
        assertEquals("Hi", tok.decode(ids, true));
        assertEquals("Hi" + special, tok.decode(ids, false));
    }

    @Test
    void hfLlama3MatchesTheGgufLlamaBpeVocabularyOnLlamaCppVectors() {
        Tokenizer hf = TestVocabs.hf("llama3");
        GgufTokenizer gguf = (GgufTokenizer) TestVocabs.gguf("llama-bpe");
        assertEquals(gguf.vocabSize(), hf.vocabSize());
        for (TestVocabs.Case c : TestVocabs.cases("llama-bpe")) {
            assertArrayEquals(c.ids(), hf.encode(c.text(), false), "HF on '" + c.text() + "'");
            assertArrayEquals(gguf.encode(c.text(), false), hf.encode(c.text(), false), "'" + c.text() + "'");
        }
        for (String text : UnicodeCorpus.TEXTS) {
            assertArrayEquals(gguf.encode(text, false), hf.encode(text, false), "'" + text + "'");
        }
    }

    @Test
    void addSpecialTokensAddsBosWhereTheModelDoes() {
        assertEquals(1, TestVocabs.gguf("llama-spm").encode("Hi", true)[0]);
        assertEquals(128000, TestVocabs.gguf("llama-bpe").encode("Hi", true)[0]);
        // @lenml's Llama 3 tokenizer.json is the first release's: its post-processor adds no BOS, and HF follows the file.
        assertArrayEquals(TestVocabs.hf("llama3").encode("Hi", false), TestVocabs.hf("llama3").encode("Hi", true));
        assertArrayEquals(TestVocabs.gguf("qwen2").encode("Hi", false), TestVocabs.gguf("qwen2").encode("Hi", true));
        assertArrayEquals(TestVocabs.hf("qwen3").encode("Hi", false), TestVocabs.hf("qwen3").encode("Hi", true));
    }

    @Test
    void longInputIsNotTruncated() {
        String text = "word" + " word".repeat(2999);
        assertEquals(3000, TestVocabs.hf("llama3").encode(text, false).length);
        assertEquals(3000, TestVocabs.gguf("llama-bpe").encode(text, false).length);
    }
}
