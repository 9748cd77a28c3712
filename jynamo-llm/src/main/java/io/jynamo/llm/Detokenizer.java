package io.jynamo.llm;

import io.jynamo.llm.output.IncrementalDetokenizer;
import java.util.Objects;

/**
 * Turns generated token ids, one at a time, into text deltas that never end inside a UTF-8 character
 * and keep SentencePiece's word-leading spaces. One per sequence; not thread-safe.
 *
 * <p>A class over {@link IncrementalDetokenizer}, not an interface it implements, so that the output
 * package does not depend back on this one.
 */
public final class Detokenizer {
    private final IncrementalDetokenizer impl;

    private Detokenizer(IncrementalDetokenizer impl) {
        this.impl = impl;
    }

    /**
     * @param promptIds         the prompt's ids (the last few give the first generated token its context,
     *                          so a leading space is kept), or an empty array
     * @param skipSpecialTokens leave special tokens (EOS, end-of-turn, …) out of the text
     */
    public static Detokenizer of(Tokenizer tokenizer, int[] promptIds, boolean skipSpecialTokens) {
        Objects.requireNonNull(tokenizer, "tokenizer");
        return new Detokenizer(new IncrementalDetokenizer(tokenizer::decode, promptIds, skipSpecialTokens));
    }

    /** The text this token completes; empty while a character is still incomplete. */
    public String next(int tokenId) {
        return impl.next(tokenId);
    }

    /** Whatever is still held back when the sequence ends (an incomplete character shows as U+FFFD). */
    public String finish() {
        return impl.finish();
    }
}
