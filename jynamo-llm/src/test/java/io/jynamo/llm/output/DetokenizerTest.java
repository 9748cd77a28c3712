package io.jynamo.llm.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jynamo.llm.Detokenizer;
import io.jynamo.llm.TestVocabs;
import io.jynamo.llm.Tokenizer;
import io.jynamo.llm.UnicodeCorpus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DetokenizerTest {

    private static Tokenizer tokenizer(String name) {
        return name.startsWith("hf:") ? TestVocabs.hf(name.substring(3)) : TestVocabs.gguf(name);
    }

    /** Streams ids one by one; every delta must be whole characters and the deltas must add up to the text. */
    private static List<String> stream(Tokenizer tok, int[] prompt, int[] ids, boolean skip) {
        Detokenizer d = Detokenizer.of(tok, prompt, skip);
        List<String> deltas = new ArrayList<>();
        for (int id : ids) {
            String delta = d.next(id);
            assertFalse(delta.contains("\uFFFD"), "delta with a broken character: " + delta);
            if (!delta.isEmpty()) {
                assertFalse(Character.isLowSurrogate(delta.charAt(0)), "delta starts inside a surrogate pair");
                assertFalse(Character.isHighSurrogate(delta.charAt(delta.length() - 1)), "delta ends inside a pair");
            }
            deltas.add(delta);
        }
        deltas.add(d.finish());
        return deltas;
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "llama-bpe", "qwen2", "gpt-2", "phi-3", "hf:llama3", "hf:qwen3"})
    void streamedTextEqualsTheWholeDecode(String name) {
        Tokenizer tok = tokenizer(name);
        for (String text : UnicodeCorpus.TEXTS) {
            int[] ids = tok.encode(text, false);
            assertEquals(tok.decode(ids, false), String.join("", stream(tok, new int[0], ids, false)), name + ": " + text);
        }
    }

    @Test
    void multiByteCharactersSplitOverByteFallbackTokensComeOutWhole() {
        Tokenizer spm = TestVocabs.gguf("llama-spm");
        int[] ids = spm.encode("😀", false);
        assertTrue(ids.length >= 4, "the emoji is byte-fallback tokens in Llama 2's vocabulary");
        List<String> deltas = stream(spm, new int[0], ids, false);
        // Nothing comes out until the last of its four bytes.
        for (int i = 0; i < deltas.size() - 2; i++) {
            assertEquals("", deltas.get(i), "delta " + i);
        }
        assertEquals("😀", String.join("", deltas));
    }

    @Test
    void bytesThatCanNeverFormACharacterAreLetOutNotHeldForever() {
        Tokenizer spm = TestVocabs.gguf("llama-spm");
        int continuation = spm.tokenId("<0x80>");
        assertTrue(continuation >= 0);
        Detokenizer d = Detokenizer.of(spm, new int[0], false);
        StringBuilder streamed = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            streamed.append(d.next(continuation));  // a continuation byte with no lead byte: never a character
        }
        assertTrue(streamed.length() >= 30, "held back: only " + streamed.length() + " chars out of 40 tokens");
        streamed.append(d.finish());
        assertEquals("\uFFFD".repeat(40), streamed.toString());
    }

    @Test
    void multiByteCharactersSplitOverByteLevelTokensComeOutWhole() {
        Tokenizer bpe = TestVocabs.gguf("gpt-2");
        int[] ids = bpe.encode("中文测试 😀", false);
        assertTrue(ids.length > 5, "GPT-2 writes these as byte-level pieces");
        List<String> deltas = stream(bpe, new int[0], ids, false);
        assertEquals("中文测试 😀", String.join("", deltas));
    }

    @Test
    void sentencePieceKeepsTheSpaceBeforeEachWordAfterTheFirst() {
        Tokenizer spm = TestVocabs.gguf("llama-spm");
        int[] prompt = spm.encode("Say hi:", true);
        int[] answer = spm.encode("Hello there world", false);
        List<String> deltas = stream(spm, prompt, answer, false);
        // With the prompt as context the first word keeps the space the model wrote before it.
        assertEquals(" Hello there world", String.join("", deltas));
        assertEquals(List.of(" Hello", " there", " world", ""), deltas);
    }

    @Test
    void specialTokensAreSkippedWhenAsked() {
        Tokenizer tok = TestVocabs.gguf("llama-bpe");
        int[] ids = tok.encode("Hi there<|eot_id|>", false);
        assertEquals("Hi there", String.join("", stream(tok, new int[0], ids, true)));
        assertEquals("Hi there<|eot_id|>", String.join("", stream(tok, new int[0], ids, false)));
    }

    @Test
    void longStreamsStayConsistent() {
        Tokenizer tok = TestVocabs.hf("qwen3");
        String text = String.join(" ", UnicodeCorpus.TEXTS).repeat(5);
        int[] ids = tok.encode(text, false);
        assertEquals(tok.decode(ids, false), String.join("", stream(tok, new int[0], ids, false)));
    }
}
