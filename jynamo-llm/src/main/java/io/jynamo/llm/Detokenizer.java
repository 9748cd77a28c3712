package io.jynamo.llm;

import io.jynamo.llm.output.IncrementalDetokenizer;

/**
 * Turns generated token ids, one at a time, into text deltas that never end inside a UTF-8 character
 * and keep SentencePiece's word-leading spaces. One per sequence; not thread-safe.
 */
public interface Detokenizer {
    /** The text this token completes; empty while a character is still incomplete. */
    String next(int tokenId);

    /** Whatever is still held back when the sequence ends (an incomplete character shows as U+FFFD). */
    String finish();

    /**
     * @param promptIds         the prompt's ids (the last few give the first generated token its context,
     *                          so a leading space is kept), or an empty array
     * @param skipSpecialTokens leave special tokens (EOS, end-of-turn, …) out of the text
     */
    static Detokenizer of(Tokenizer tokenizer, int[] promptIds, boolean skipSpecialTokens) {
        return new IncrementalDetokenizer(tokenizer, promptIds, skipSpecialTokens);
    }
}
