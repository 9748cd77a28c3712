package io.jynamo.engine.sample;

import io.jynamo.api.request.SamplingOptions;
import io.jynamo.engine.EngineException;
import java.util.SplittableRandom;

/**
 * Chooses one sequence's next token from its logits, in the order of vLLM's V1 sampler: penalties
 * (repetition, then frequency, then presence); greedy argmax if the temperature is below 1e-5
 * (vLLM's epsilon; ties go to the lowest id); otherwise temperature, min-p, top-k, top-p, softmax
 * and one draw from what is left.
 *
 * <p>The caller's logits are never modified: the work happens in a {@link SamplerScratch}, so the
 * same array can afterwards give the raw logprobs ({@link Logprobs}). A greedy sampler without
 * penalties reads the logits in place and copies nothing.
 *
 * <p>Each sampler owns its sequence's random stream (a {@link SplittableRandom} seeded from the
 * request's seed), and every {@link #sample} call takes exactly one number from it, greedy or not:
 * the n-th token of a seeded request always uses the n-th draw, whatever else is batched with it.
 * One sampler per sequence; not thread-safe.
 */
public final class Sampler {

    private final SamplingOptions options;
    private final SamplerScratch scratch;
    private final SplittableRandom random;
    private final boolean greedy;
    private final boolean penalised;

    /** A sampler with its own scratch. */
    public Sampler(SamplingOptions options, int vocabSize) {
        this(options, new SamplerScratch(vocabSize));
    }

    /** A sampler sharing a scratch with the other samplers its thread runs. */
    public Sampler(SamplingOptions options, SamplerScratch scratch) {
        this.options = options;
        this.scratch = scratch;
        this.random = options.seed() == null ? new SplittableRandom() : new SplittableRandom(options.seed());
        this.greedy = options.greedy();
        this.penalised = options.repetitionPenalty() != 1f || options.frequencyPenalty() != 0f
                || options.presencePenalty() != 0f;
    }

    public SamplingOptions options() {
        return options;
    }

    /** The next token of the sequence whose model output is {@code logits} and history is {@code history}. */
    public int sample(float[] logits, TokenHistory history) {
        int vocab = scratch.vocabSize();
        if (logits.length != vocab || history.vocabSize() != vocab) {
            throw EngineException.internal("sampler for a vocabulary of " + vocab + " got " + logits.length
                    + " logits and a history of " + history.vocabSize() + " tokens", null);
        }
        double u = random.nextDouble();
        float[] v = logits;
        if (penalised) {
            v = scratch.values;
            System.arraycopy(logits, 0, v, 0, vocab);
            penalize(v, history);
        }
        if (greedy) {
            return argmax(v);
        }
        float max = divide(v, scratch.values, options.temperature());
        int n = Truncation.keep(scratch, max, options.minP(), options.topK(), options.topP());
        return draw(n, u);
    }

    /** Applies the three penalties to the logits of the tokens in the history, as vLLM does. */
    void penalize(float[] v, TokenHistory history) {
        float repetition = options.repetitionPenalty();
        if (repetition != 1f) {
            for (int i = 0; i < history.seenDistinct(); i++) {
                int id = history.seenId(i);
                v[id] = v[id] > 0 ? v[id] / repetition : v[id] * repetition;
            }
        }
        float frequency = options.frequencyPenalty();
        float presence = options.presencePenalty();
        if (frequency != 0f || presence != 0f) {
            for (int i = 0; i < history.outputDistinct(); i++) {
                int id = history.outputId(i);
                v[id] -= frequency * history.outputCount(id);
                v[id] -= presence;
            }
        }
    }

    /** The index of the largest logit, the lowest on ties. */
    static int argmax(float[] v) {
        int best = -1;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < v.length; i++) {
            if (v[i] > bestValue) {
                bestValue = v[i];
                best = i;
            }
        }
        if (best < 0) {
            throw EngineException.internal("no logit is finite or above -infinity; cannot choose a token", null);
        }
        return best;
    }

    /** Writes {@code from / temperature} into {@code to} and returns the largest value. */
    private static float divide(float[] from, float[] to, float temperature) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < from.length; i++) {
            float x = from[i] / temperature;
            to[i] = x;
            max = Math.max(max, x);
        }
        if (!Float.isFinite(max)) {
            throw EngineException.internal("logits are not finite (largest " + max + "); cannot sample", null);
        }
        return max;
    }

    /** Draws from the kept candidates by their weights with the uniform number {@code u}. */
    private int draw(int n, double u) {
        float[] w = scratch.values;
        int[] c = scratch.candidates;
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += w[c[i]];
        }
        double target = u * total;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += w[c[i]];
            if (sum > target) {
                return c[i];
            }
        }
        // Only when u * total rounded up to total: the draw belongs to the last token with weight.
        int last = n - 1;
        while (last > 0 && w[c[last]] == 0f) {
            last--;
        }
        return c[last];
    }
}
