package io.jynamo.llm.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jynamo.llm.TestVocabs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * llama.cpp's own tokenizer test (tests/test-tokenizer-0.cpp): every .inp text of a vocab GGUF must
 * encode to its .out ids, with add_special = false and parse_special = false as that test uses.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GgufTokenizerVectorsTest {

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "llama-bpe", "qwen2", "gpt-2", "phi-3"})
    void encodesEveryLlamaCppTestVector(String name) {
        GgufTokenizer tok = (GgufTokenizer) TestVocabs.gguf(name);
        List<TestVocabs.Case> cases = TestVocabs.cases(name);
        assertTrue(cases.size() > 20, "too few cases for " + name);
        List<String> failures = new ArrayList<>();
        for (TestVocabs.Case c : cases) {
            int[] got = tok.encode(c.text(), false, false);
            if (!Arrays.equals(c.ids(), got)) {
                failures.add("'" + c.text().replace("\n", "\\n") + "': expected " + Arrays.toString(c.ids())
                        + " got " + Arrays.toString(got));
            }
        }
        assertEquals(List.of(), failures, name + ": " + failures.size() + " of " + cases.size() + " cases differ");
    }
}
