package io.jynamo.frontend.openai;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(20)
class Utf8Test {
    private static boolean jdkValid(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void knownCases() {
        assertEquals(-1, Utf8.firstInvalid("aé世🎉".getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, Utf8.firstInvalid(new byte[]{'a', (byte) 0xc0, (byte) 0x80}));          // overlong NUL
        assertEquals(0, Utf8.firstInvalid(new byte[]{(byte) 0xed, (byte) 0xa0, (byte) 0x80}));  // a surrogate
        assertEquals(0, Utf8.firstInvalid(new byte[]{(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}));  // > U+10FFFF
        assertEquals(0, Utf8.firstInvalid(new byte[]{(byte) 0xe4, (byte) 0xb8}));              // truncated
        assertEquals(0, Utf8.firstInvalid(new byte[]{(byte) 0xff}));
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomBytes() {
        Random random = new Random(7);
        byte[] pool = "aé世🎉".getBytes(StandardCharsets.UTF_8);
        for (int trial = 0; trial < 200_000; trial++) {
            byte[] b = new byte[random.nextInt(8)];
            for (int i = 0; i < b.length; i++) {
                b[i] = random.nextInt(3) == 0 ? (byte) random.nextInt(256) : pool[random.nextInt(pool.length)];
            }
            assertEquals(jdkValid(b), Utf8.firstInvalid(b) < 0, () -> java.util.HexFormat.of().formatHex(b));
        }
    }
}
