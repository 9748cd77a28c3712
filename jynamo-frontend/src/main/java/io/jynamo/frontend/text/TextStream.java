package io.jynamo.frontend.text;

/**
 * The text of one generated sequence, assembled token by token. Not thread-safe: one reader owns it.
 * Text handed out is final: it never ends in a partial character nor in what may become a stop string.
 */
public interface TextStream {
    /**
     * Adds tokens and returns the text that became final ("" if none). Once a stop string is found,
     * the tokens after the one that completed it are ignored and {@link #stopped()} turns true.
     */
    String push(int[] tokenIds);

    /** The sequence ended: returns the text still held back (a partial stop string that never completed). */
    String finish();

    /** Whether a stop string ended the sequence. */
    boolean stopped();

    /** Tokens accepted so far: all pushed, or up to and including the one that completed a stop string. */
    int acceptedTokens();
}
