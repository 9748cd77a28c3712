package io.jynamo.engine.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jynamo.api.ErrorCategory;
import io.jynamo.engine.EngineException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TokenHistoryTest {
    @Test
    void promptTokensAreSeenButNotCounted() {
        TokenHistory h = new TokenHistory(200);
        h.addPrompt(new int[] {5, 7, 5, 199});
        h.addOutput(7);
        h.addOutput(7);
        h.addOutput(64);
        assertTrue(h.seen(5) && h.seen(7) && h.seen(199) && h.seen(64));
        assertFalse(h.seen(6) || h.seen(0) || h.seen(63) || h.seen(65));
        assertEquals(0, h.outputCount(5));
        assertEquals(2, h.outputCount(7));
        assertEquals(1, h.outputCount(64));
        assertEquals(3, h.outputLength());
        assertEquals(4, h.seenDistinct());
        assertEquals(2, h.outputDistinct());
        assertEquals(7, h.outputId(0));
        assertEquals(64, h.outputId(1));
    }

    @Test
    void resetForgetsEverythingAndTheHistoryIsReusable() {
        TokenHistory h = new TokenHistory(150_000);
        for (int id = 0; id < 150_000; id += 997) {
            h.addOutput(id); // more distinct ids than the initial list holds
        }
        h.addPrompt(new int[] {3, 149_999});
        h.reset();
        for (int id = 0; id < 150_000; id += 997) {
            assertFalse(h.seen(id), "token " + id + " still seen after reset");
            assertEquals(0, h.outputCount(id));
        }
        assertFalse(h.seen(149_999));
        assertEquals(0, h.outputLength());
        assertEquals(0, h.seenDistinct());
        h.addOutput(3);
        assertEquals(1, h.outputCount(3));
        assertEquals(1, h.outputDistinct());
    }

    @Test
    void idsOutsideTheVocabularyAreBadInputAndChangeNothing() {
        TokenHistory h = new TokenHistory(10);
        EngineException e = assertThrows(EngineException.class, () -> h.addPrompt(new int[] {1, 10}));
        assertEquals(ErrorCategory.BAD_REQUEST, e.category());
        assertEquals("token id 10 is outside the vocabulary of 10", e.getMessage());
        assertFalse(h.seen(1), "a rejected prompt must not be half recorded");
        assertThrows(EngineException.class, () -> h.addOutput(-1));
        assertEquals(ErrorCategory.BAD_REQUEST, assertThrows(EngineException.class, () -> new TokenHistory(0)).category());
    }
}
