package io.jynamo.llm.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jynamo.llm.StopStrings;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StopStringsTest {

    @Test
    void stopStringAcrossDeltasIsCutWithEverythingAfterIt() {
        StopStrings s = StopStrings.of(List.of("\n\nUser:"));
        assertEquals("Hello", s.feed("Hello"));
        assertEquals(" world.", s.feed(" world.\n"));
        assertEquals("", s.feed("\nUs"));
        assertFalse(s.stopped());
        assertEquals("", s.feed("er: more text"));
        assertTrue(s.stopped());
        assertEquals("\n\nUser:", s.matched());
        assertEquals("", s.feed("ignored"));
        assertEquals("", s.flush());
    }

    @Test
    void heldBackTextIsReleasedWhenItTurnsOutNotToBeAStop() {
        StopStrings s = StopStrings.of(List.of("</answer>"));
        assertEquals("a ", s.feed("a </"));
        assertEquals("</b", s.feed("b"));
        assertEquals("x ", s.feed("x <"));
        assertEquals("<", s.flush());
        assertFalse(s.stopped());
        assertNull(s.matched());
    }

    @Test
    void earliestStopWinsAndTextBeforeItIsEmitted() {
        StopStrings s = StopStrings.of(List.of("END", "STOP"));
        assertEquals("one two ", s.feed("one two STOP three END"));
        assertEquals("STOP", s.matched());
    }

    @Test
    void stopInsideOneDeltaWithTextBefore() {
        StopStrings s = StopStrings.of(List.of("###"));
        assertEquals("abc", s.feed("abc###def"));
        assertTrue(s.stopped());
    }

    @Test
    void anySplitOfTheStreamGivesTheSameOutput() {
        String text = "The answer is 42.\n<|im_end|>ignored tail";
        List<String> stops = List.of("<|im_end|>", "\n\n\n");
        Random random = new Random(7);
        for (int trial = 0; trial < 500; trial++) {
            StopStrings s = StopStrings.of(stops);
            StringBuilder out = new StringBuilder();
            int i = 0;
            while (i < text.length() && !s.stopped()) {
                int n = 1 + random.nextInt(6);
                out.append(s.feed(text.substring(i, Math.min(text.length(), i + n))));
                i += n;
            }
            out.append(s.flush());
            assertEquals("The answer is 42.\n", out.toString(), "trial " + trial);
        }
    }

    @Test
    void noStopsPassesEverythingThrough() {
        StopStrings s = StopStrings.of(List.of());
        assertEquals("abc", s.feed("abc"));
        assertEquals("", s.flush());
    }
}
