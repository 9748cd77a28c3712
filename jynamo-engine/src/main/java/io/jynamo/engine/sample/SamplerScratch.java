package io.jynamo.engine.sample;

import io.jynamo.engine.EngineException;

/**
 * The vocabulary-sized buffers one sampling step works in (about 12 bytes per vocabulary entry).
 * A sequence's {@link Sampler} keeps only its options and random stream; the buffers hold nothing
 * between calls, so every sampler run by one thread can share one scratch (the engine's step loop
 * samples its sequences one after another). Not thread-safe.
 */
public final class SamplerScratch {
    /** The caller's logits after penalties and temperature, then the unnormalised probabilities. */
    final float[] values;
    /** Candidate token ids: those that survive the filters, in an order the filters choose. */
    final int[] candidates;
    /** A copy of candidate logits that quickselect may reorder. */
    final float[] select;

    public SamplerScratch(int vocabSize) {
        if (vocabSize < 1) {
            throw EngineException.badInput("vocabulary size must be >= 1, got " + vocabSize);
        }
        values = new float[vocabSize];
        candidates = new int[vocabSize];
        select = new float[vocabSize];
    }

    public int vocabSize() {
        return values.length;
    }
}
