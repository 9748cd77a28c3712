package io.jynamo.llm.tokenizer;

import io.jynamo.llm.GgufVocab;
import io.jynamo.llm.TestVocabs;
import io.jynamo.llm.UnicodeCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The SentencePiece model cuts text at the start of each run of U+2581 and merges the chunks on their
 * own (cached); that must give exactly what one merge over the whole text gives.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpmChunkingTest {
    @Test
    void chunkedEqualsWholeTextOnRandomMixes() {
        for (String name : List.of("llama-spm", "phi-3")) {
            GgufVocab v = TestVocabs.vocab(name);
            Map<String, Integer> ids = new HashMap<>();
            for (int i = 0; i < v.tokens().length; i++) {
                ids.putIfAbsent(v.tokens()[i], i);
            }
            SpmModel model = new SpmModel(ids, v.scores(), v.unkId());
            List<String> pieces = new ArrayList<>(UnicodeCorpus.TEXTS);
            for (TestVocabs.Case c : TestVocabs.cases(name)) {
                pieces.add(c.text());
            }
            long seed = 20261129L;
            Random random = new Random(seed);
            for (int round = 0; round < 400; round++) {
                StringBuilder text = new StringBuilder();
                int parts = 1 + random.nextInt(6);
                for (int p = 0; p < parts; p++) {
                    text.append(" ".repeat(random.nextInt(4)));
                    text.append(pieces.get(random.nextInt(pieces.size())));
                }
                String spm = text.toString().replace(' ', '\u2581');
                IntList chunked = new IntList(16);
                model.encode(spm, chunked);
                IntList whole = new IntList(16);
                model.merge(spm, whole);
                assertArrayEquals(whole.toArray(), chunked.toArray(), name + " seed " + seed + " round " + round
                        + ": " + spm);
            }
        }
    }
}
