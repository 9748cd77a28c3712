package io.jynamo.engine.sample;

import io.jynamo.api.output.TokenLogprob;

import io.jynamo.engine.EngineException;
import io.jynamo.engine.kernel.Kernels;

/**
 * The logprobs of one step: the chosen token's log-probability and rank, and up to
 * {@value #MAX_TOP} most likely tokens with theirs. Like vLLM by default ({@code raw_logprobs}),
 * they come from the raw model distribution, log-softmax of the logits before penalties,
 * temperature and filtering, so they say what the model thought, not what the sampler drew from.
 * Exponentials run in float (the softmax kernel), their sum in double.
 *
 * <p>Reusable and allocation-free: {@link #compute} overwrites the previous step's results, and the
 * accessors read them as primitives. {@link #top(int)} and {@link #chosen()} build records for the
 * response edge. Not thread-safe.
 */
public final class Logprobs {
    /** The most top logprobs OpenAI's {@code top_logprobs} (and vLLM's default limit) allows. */
    public static final int MAX_TOP = 20;

    private final int[] topTokens = new int[MAX_TOP];
    private final float[] topLogprobs = new float[MAX_TOP];
    private int topCount;
    /** The softmax of the last logits; resized only when the vocabulary changes. */
    private float[] probabilities = new float[0];
    private int token;
    private float logprob;
    private int rank;

    /**
     * Computes the logprobs of {@code chosen} and of the {@code top} most likely tokens (ties: lower
     * id first) from raw {@code logits}.
     */
    public void compute(float[] logits, int chosen, int top) {
        if (chosen < 0 || chosen >= logits.length) {
            throw EngineException.badInput("token id " + chosen + " is outside the vocabulary of " + logits.length);
        }
        if (top < 0 || top > MAX_TOP) {
            throw EngineException.badInput("top_logprobs must be in [0, " + MAX_TOP + "], got " + top);
        }
        double logZ = logSumExp(logits);
        float chosenLogit = logits[chosen];
        int atLeast = 0;
        for (float x : logits) {
            if (x >= chosenLogit) {
                atLeast++;
            }
        }
        token = chosen;
        logprob = (float) (chosenLogit - logZ);
        rank = atLeast; // vLLM's rank: how many tokens are at least as likely, itself included
        topCount = selectTop(logits, Math.min(top, logits.length));
        for (int i = 0; i < topCount; i++) {
            topLogprobs[i] = (float) (topLogprobs[i] - logZ);
        }
    }

    /**
     * log(sum(exp(logits))). The exponentials come from the vectorised softmax kernel, which divides
     * exp(x - max) by their sum; the top token's exp is exactly 1, so its probability is the
     * reciprocal of the sum, and log-sum-exp = max - log(pTop).
     */
    double logSumExp(float[] logits) {
        int top = 0;
        for (int i = 1; i < logits.length; i++) {
            top = logits[i] > logits[top] ? i : top;
        }
        float max = logits[top];
        if (!Float.isFinite(max)) {
            throw EngineException.internal("logits are not finite (largest " + max + "); cannot compute logprobs", null);
        }
        if (probabilities.length != logits.length) {
            probabilities = new float[logits.length];
        }
        System.arraycopy(logits, 0, probabilities, 0, logits.length);
        Kernels.softmax(probabilities, 0, logits.length);
        return max - Math.log(probabilities[top]);
    }

    /** Keeps the n largest logits in topLogprobs, sorted descending, by insertion; returns n. */
    private int selectTop(float[] logits, int n) {
        int count = 0;
        for (int id = 0; id < logits.length && n > 0; id++) {
            float x = logits[id];
            if (count == n && !(x > topLogprobs[n - 1])) {
                continue;
            }
            int j = count == n ? n - 1 : count++;
            while (j > 0 && x > topLogprobs[j - 1]) {
                topLogprobs[j] = topLogprobs[j - 1];
                topTokens[j] = topTokens[j - 1];
                j--;
            }
            topLogprobs[j] = x;
            topTokens[j] = id;
        }
        return count;
    }

    public int token() {
        return token;
    }

    public float logprob() {
        return logprob;
    }

    /** 1 for the most likely token; ties share the larger rank. */
    public int rank() {
        return rank;
    }

    public int topCount() {
        return topCount;
    }

    public int topToken(int i) {
        return topTokens[checkTop(i)];
    }

    public float topLogprob(int i) {
        return topLogprobs[checkTop(i)];
    }

    public TokenLogprob chosen() {
        return new TokenLogprob(token, logprob);
    }

    public TokenLogprob top(int i) {
        return new TokenLogprob(topToken(i), topLogprob(i));
    }

    private int checkTop(int i) {
        if (i < 0 || i >= topCount) {
            throw EngineException.internal("top logprob " + i + " asked of " + topCount, null);
        }
        return i;
    }
}
