package io.jynamo.frontend.openai;

import io.jynamo.frontend.text.TextStream;

/**
 * The state of one choice while it is generated: its text stream, the text and logprobs gathered
 * (for a unary body) and how it ended. Owned by the thread that reads its engine stream.
 */
public final class Choice {
    public final int index;
    public final TextStream text;
    public final LogprobList logprobs;
    public final StringBuilder content;
    public String finishReason;
    public int completionTokens;
    /** Completions logprobs: where the next token's text starts. */
    public int textOffset;

    /**
     * @param keepContent gather the whole text (unary bodies); streaming sends it and forgets it
     */
    public Choice(int index, TextStream text, boolean logprobs, boolean keepContent) {
        this.index = index;
        this.text = text;
        this.logprobs = logprobs ? new LogprobList() : null;
        this.content = keepContent ? new StringBuilder() : null;
    }

    public boolean done() {
        return finishReason != null;
    }
}
