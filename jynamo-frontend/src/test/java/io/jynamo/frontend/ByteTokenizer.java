package io.jynamo.frontend;

import io.jynamo.llm.Tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * TEST TOKENIZER (not a model's): every UTF-8 byte is its own id (0..255), so characters outside
 * ASCII span several tokens, which is what incremental detokenization must survive. Four special
 * tokens follow: BOS {@code <s>} 256, EOS {@code </s>} 257, {@code <|im_start|>} 258, {@code <|im_end|>} 259.
 */
public final class ByteTokenizer implements Tokenizer {
    public static final int BOS = 256;
    public static final int EOS = 257;
    static final String[] SPECIALS = {"<s>", "</s>", "<|im_start|>", "<|im_end|>"};

    @Override
    public int[] encode(String text, boolean addSpecialTokens) {
        int[] out = new int[text.length() * 3 + 1];
        int n = 0;
        if (addSpecialTokens) {
            out[n++] = BOS;
        }
        int i = 0;
        StringBuilder plain = new StringBuilder();
        while (i < text.length()) {
            int special = specialAt(text, i);
            if (special < 0) {
                plain.append(text.charAt(i++));
                continue;
            }
            n = bytes(plain, out, n);
            out[n++] = 256 + special;
            i += SPECIALS[special].length();
        }
        n = bytes(plain, out, n);
        return Arrays.copyOf(out, n);
    }

    private static int bytes(StringBuilder plain, int[] out, int n) {
        for (byte b : plain.toString().getBytes(StandardCharsets.UTF_8)) {
            out[n++] = b & 0xff;
        }
        plain.setLength(0);
        return n;
    }

    private static int specialAt(String text, int i) {
        for (int s = 0; s < SPECIALS.length; s++) {
            if (text.startsWith(SPECIALS[s], i)) {
                return s;
            }
        }
        return -1;
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        StringBuilder text = new StringBuilder();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : ids) {
            if (id < 256) {
                bytes.write(id);
                continue;
            }
            text.append(bytes.toString(StandardCharsets.UTF_8));
            bytes.reset();
            if (!skipSpecialTokens) {
                text.append(SPECIALS[id - 256]);
            }
        }
        return text.append(bytes.toString(StandardCharsets.UTF_8)).toString();
    }

    @Override
    public int vocabSize() {
        return 256 + SPECIALS.length;
    }

    @Override
    public int tokenId(String token) {
        for (int s = 0; s < SPECIALS.length; s++) {
            if (SPECIALS[s].equals(token)) {
                return 256 + s;
            }
        }
        return -1;
    }
}
