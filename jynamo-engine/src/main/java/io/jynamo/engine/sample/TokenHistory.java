package io.jynamo.engine.sample;

import io.jynamo.engine.EngineException;
import java.util.Arrays;

/**
 * The tokens one sequence has seen, as the penalties need them: a membership bitset of prompt and
 * output tokens (repetition penalty) and a count per token of the output alone (frequency and
 * presence penalties). The distinct ids are also kept in lists, so penalties and {@link #reset()}
 * touch only the tokens that occurred, never the whole vocabulary. Not thread-safe.
 *
 * <p>Memory is one int per vocabulary entry (the counts) plus one bit (the membership); the id
 * lists grow by doubling and then stay, so steady-state appends do not allocate.
 */
public final class TokenHistory {
    private final int vocabSize;
    private final long[] seen;
    private final int[] outputCounts;
    private int[] seenIds = new int[64];
    private int seenDistinct;
    private int[] outputIds = new int[64];
    private int outputDistinct;
    private int outputLength;

    public TokenHistory(int vocabSize) {
        if (vocabSize < 1) {
            throw EngineException.badInput("vocabulary size must be >= 1, got " + vocabSize);
        }
        this.vocabSize = vocabSize;
        this.seen = new long[(vocabSize + 63) >>> 6];
        this.outputCounts = new int[vocabSize];
    }

    /** Marks every prompt token as seen (the repetition penalty covers the prompt too). */
    public void addPrompt(int[] ids) {
        for (int id : ids) {
            check(id);
        }
        for (int id : ids) {
            markSeen(id);
        }
    }

    /** Records one generated token. */
    public void addOutput(int id) {
        check(id);
        markSeen(id);
        if (outputCounts[id]++ == 0) {
            if (outputDistinct == outputIds.length) {
                outputIds = Arrays.copyOf(outputIds, Math.min(vocabSize, 2 * outputIds.length));
            }
            outputIds[outputDistinct++] = id;
        }
        outputLength++;
    }

    /** Forgets everything, in time proportional to the distinct tokens seen. */
    public void reset() {
        for (int i = 0; i < seenDistinct; i++) {
            int id = seenIds[i];
            seen[id >>> 6] = 0;
            outputCounts[id] = 0;
        }
        seenDistinct = 0;
        outputDistinct = 0;
        outputLength = 0;
    }

    public int vocabSize() {
        return vocabSize;
    }

    /** Whether the token occurred in the prompt or the output. */
    public boolean seen(int id) {
        return (seen[id >>> 6] & (1L << id)) != 0;
    }

    /** How often the token occurred in the output. */
    public int outputCount(int id) {
        return outputCounts[id];
    }

    /** Tokens generated so far. */
    public int outputLength() {
        return outputLength;
    }

    /** Distinct tokens of prompt and output; {@link #seenId} enumerates them in first-seen order. */
    public int seenDistinct() {
        return seenDistinct;
    }

    public int seenId(int i) {
        return seenIds[i];
    }

    /** Distinct tokens of the output; {@link #outputId} enumerates them in first-seen order. */
    public int outputDistinct() {
        return outputDistinct;
    }

    public int outputId(int i) {
        return outputIds[i];
    }

    private void markSeen(int id) {
        long bit = 1L << id;
        if ((seen[id >>> 6] & bit) == 0) {
            seen[id >>> 6] |= bit;
            if (seenDistinct == seenIds.length) {
                seenIds = Arrays.copyOf(seenIds, Math.min(vocabSize, 2 * seenIds.length));
            }
            seenIds[seenDistinct++] = id;
        }
    }

    private void check(int id) {
        if (id < 0 || id >= vocabSize) {
            throw EngineException.badInput("token id " + id + " is outside the vocabulary of " + vocabSize);
        }
    }
}
