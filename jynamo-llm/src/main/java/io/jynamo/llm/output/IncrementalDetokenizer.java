package io.jynamo.llm.output;

import java.util.Arrays;
import java.util.Objects;

/**
 * Incremental detokenization as vLLM and HF TGI do it: decode a short window of ids that starts a few
 * tokens back (so SentencePiece's leading space and byte-level merges see their context), and emit
 * the part of the window's text past what was already emitted, unless the text ends in U+FFFD (a
 * character whose bytes have not all arrived yet).
 *
 * <p>prefixOffset: where the window starts; readOffset: the ids up to which text has been emitted.
 *
 * <p>The llm module's {@code Detokenizer} is the public face of this class. It knows the tokenizer only
 * as a {@link Decoder}, so this package needs nothing from the module's root package.
 */
public final class IncrementalDetokenizer {
    /** Decodes ids to text, as a tokenizer does. */
    @FunctionalInterface
    public interface Decoder {
        String decode(int[] ids, boolean skipSpecialTokens);
    }

    private static final int PROMPT_CONTEXT = 5;
    private static final char REPLACEMENT = '\uFFFD';
    /**
     * Tokens held back at most while the text ends in U+FFFD: no UTF-8 character needs more than four
     * byte tokens, so past this the bytes can never form one (a random or broken model emits such
     * runs) and are let out as U+FFFD rather than stalling the stream and growing the window.
     */
    private static final int MAX_HELD_TOKENS = 8;

    private final Decoder tokenizer;
    private final boolean skipSpecial;
    private int[] ids;
    private int size;
    private int prefixOffset;
    private int readOffset;

    public IncrementalDetokenizer(Decoder tokenizer, int[] promptIds, boolean skipSpecialTokens) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.skipSpecial = skipSpecialTokens;
        int[] prompt = promptIds == null ? new int[0] : promptIds;
        int context = Math.min(PROMPT_CONTEXT, prompt.length);
        ids = new int[Math.max(16, context * 2)];
        System.arraycopy(prompt, prompt.length - context, ids, 0, context);
        size = context;
        prefixOffset = 0;
        readOffset = context;
    }

    /** The text this token completes; empty while a character is still incomplete. */
    public String next(int tokenId) {
        if (size == ids.length) {
            compact();
        }
        ids[size++] = tokenId;
        String prefixText = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, readOffset), skipSpecial);
        String newText = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, size), skipSpecial);
        if (newText.length() > prefixText.length()
                && (newText.charAt(newText.length() - 1) != REPLACEMENT || size - readOffset >= MAX_HELD_TOKENS)) {
            // As vLLM: what lies past the emitted length is new, even in the rare case where the wider
            // window decodes earlier characters differently.
            prefixOffset = readOffset;
            readOffset = size;
            return newText.substring(prefixText.length());
        }
        return "";
    }

    /** Whatever is still held back when the sequence ends. */
    public String finish() {
        if (readOffset == size) {
            return "";
        }
        String prefixText = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, readOffset), skipSpecial);
        String newText = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, size), skipSpecial);
        prefixOffset = readOffset = size;
        return newText.length() > prefixText.length() ? newText.substring(prefixText.length()) : "";
    }

    /** Drops ids before the window; they are never decoded again. */
    private void compact() {
        int keep = size - prefixOffset;
        int[] next = new int[Math.max(16, keep * 2)];
        System.arraycopy(ids, prefixOffset, next, 0, keep);
        readOffset -= prefixOffset;
        prefixOffset = 0;
        size = keep;
        ids = next;
    }
}
