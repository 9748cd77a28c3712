package io.jynamo.api.request;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.RequestException;

/**
 * How the next token is chosen, as vLLM and OpenAI define each knob.
 *
 * @param temperature       below {@link #GREEDY_BELOW} = greedy; otherwise logits are divided by it before sampling
 * @param topK              keep the k most likely tokens; 0 or -1 = all
 * @param topP              keep the smallest set whose probability reaches p; 1 = all
 * @param minP              drop tokens less likely than minP × the top probability; 0 = none
 * @param seed              the random stream of this request (the same seed gives the same output
 *                          whatever else is batched); null = a random seed
 * @param repetitionPenalty &gt; 1 discourages tokens already in the prompt or output (divides positive
 *                          logits, multiplies negative ones); 1 = none
 * @param frequencyPenalty  subtracted from a token's logit once per earlier occurrence in the output
 * @param presencePenalty   subtracted once from the logit of every token already in the output
 */
public record SamplingOptions(float temperature, int topK, float topP, float minP, Long seed,
                              float repetitionPenalty, float frequencyPenalty, float presencePenalty) {

    public static final SamplingOptions GREEDY = new SamplingOptions(0f, 0, 1f, 0f, null, 1f, 0f, 0f);
    /**
     * What a request that says nothing gets, on every interface (HTTP, the request plane, the CLI):
     * OpenAI's defaults, temperature 1 and top_p 1, no filtering, no penalties. A model's
     * generation_config.json may set other defaults (its card's {@code samplingDefaults}).
     */
    public static final SamplingOptions DEFAULTS = new SamplingOptions(1f, 0, 1f, 0f, null, 1f, 0f, 0f);
    /** Temperatures below this are greedy (vLLM's epsilon): the one test of greediness. */
    public static final float GREEDY_BELOW = 1e-5f;

    public SamplingOptions {
        check(Float.isFinite(temperature) && temperature >= 0, "temperature must be >= 0, got " + temperature);
        check(topK >= -1, "top_k must be -1, 0 or positive, got " + topK);
        check(topP > 0 && topP <= 1, "top_p must be in (0, 1], got " + topP);
        check(minP >= 0 && minP <= 1, "min_p must be in [0, 1], got " + minP);
        check(Float.isFinite(repetitionPenalty) && repetitionPenalty > 0,
                "repetition_penalty must be > 0, got " + repetitionPenalty);
        check(frequencyPenalty >= -2 && frequencyPenalty <= 2, "frequency_penalty must be in [-2, 2], got " + frequencyPenalty);
        check(presencePenalty >= -2 && presencePenalty <= 2, "presence_penalty must be in [-2, 2], got " + presencePenalty);
    }

    /** Whether the most likely token is always taken (ties to the lowest id). */
    public boolean greedy() {
        return temperature < GREEDY_BELOW;
    }

    /** The same options with another temperature. */
    public SamplingOptions withTemperature(float t) {
        return new SamplingOptions(t, topK, topP, minP, seed, repetitionPenalty, frequencyPenalty, presencePenalty);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new RequestException(ErrorCategory.BAD_REQUEST, message);
        }
    }
}
