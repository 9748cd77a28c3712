package io.jynamo.frontend.text;

import io.jynamo.frontend.ByteTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class DetokenizingTextStreamTest {
    private final ByteTokenizer tokenizer = new ByteTokenizer();

    private static int[] bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            ids[i] = b[i] & 0xff;
        }
        return ids;
    }

    @Test
    void multiByteCharactersSplitAcrossTokensAreNeverBroken() {
        String text = "héllo 世界 🎉!";
        TextStream s = new DetokenizingTextStream(tokenizer, new int[0], List.of());
        StringBuilder out = new StringBuilder();
        for (int id : bytes(text)) {
            String delta = s.push(new int[]{id});
            assertFalse(delta.contains("\uFFFD"), "broken character emitted: " + delta);
            out.append(delta);
        }
        out.append(s.finish());
        assertEquals(text, out.toString());
    }

    @Test
    void invalidBytesDoNotStallTheStream() {
        TextStream s = new DetokenizingTextStream(tokenizer, new int[0], List.of());
        assertEquals("", s.push(new int[]{0xff}));
        assertEquals("\uFFFDa", s.push(new int[]{'a'}));
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            out.append(s.push(new int[]{0x80}));  // continuation bytes with no lead: never a character
        }
        assertTrue(out.length() >= 30, "invalid bytes held back forever: " + out.length());
        out.append(s.finish());
        assertEquals("\uFFFD".repeat(40), out.toString());
    }

    @Test
    void specialTokensAreLeftOut() {
        TextStream s = new DetokenizingTextStream(tokenizer, new int[0], List.of());
        String out = s.push(new int[]{ByteTokenizer.BOS, 'h', 'i', ByteTokenizer.EOS}) + s.finish();
        assertEquals("hi", out);
    }

    @Test
    void stopStringAcrossTokensIsCutAndLaterTokensIgnored() {
        TextStream s = new DetokenizingTextStream(tokenizer, new int[0], List.of("STOP"));
        StringBuilder out = new StringBuilder();
        int[] ids = bytes("abc STOP def");
        for (int id : ids) {
            out.append(s.push(new int[]{id}));
        }
        out.append(s.finish());
        assertEquals("abc ", out.toString());
        assertTrue(s.stopped());
        assertEquals(8, s.acceptedTokens(), "tokens up to and including the one completing the stop string");
    }

    @Test
    void partialStopStringIsHeldThenReleased() {
        TextStream s = new DetokenizingTextStream(tokenizer, new int[0], List.of("STOP"));
        assertEquals("ab", s.push(bytes("abST")));
        assertEquals("STx", s.push(bytes("x")));
        assertEquals("", s.push(bytes("ST")));
        assertEquals("ST", s.finish());
        assertFalse(s.stopped());
    }

    @Test
    void earliestOfSeveralStopStringsWinsWithinOneBatch() {
        TextStream s = new DetokenizingTextStream(tokenizer, new int[0], List.of("world", "lo w"));
        assertEquals("hel", s.push(bytes("hello world and more")));
        assertTrue(s.stopped());
        assertEquals(7, s.acceptedTokens());
        assertEquals("", s.push(bytes("more")));
    }

    @Test
    void randomSplitsGiveTheSameTextAsOneBatch() {
        Random random = new Random(42);
        String text = "Stop: ünïcödé — 日本語 and emoji 🎉 then END here";
        int[] ids = bytes(text);
        for (int trial = 0; trial < 200; trial++) {
            TextStream s = new DetokenizingTextStream(tokenizer, new int[0], List.of("END", "never"));
            StringBuilder out = new StringBuilder();
            int i = 0;
            while (i < ids.length && !s.stopped()) {
                int len = 1 + random.nextInt(5);
                int[] part = java.util.Arrays.copyOfRange(ids, i, Math.min(ids.length, i + len));
                i += part.length;
                String delta = s.push(part);
                assertFalse(delta.contains("\uFFFD"));
                out.append(delta);
            }
            out.append(s.finish());
            assertEquals(text.substring(0, text.indexOf("END")), out.toString(), "trial " + trial);
        }
    }
}
