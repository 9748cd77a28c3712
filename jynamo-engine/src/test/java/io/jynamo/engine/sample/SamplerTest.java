package io.jynamo.engine.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.request.SamplingOptions;
import io.jynamo.engine.EngineException;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SamplerTest {
    private static final long SEED = 20_261_129L;
    private static final int DRAWS = 20_000;

    @Test
    void greedyIsTheArgmaxAndTiesGoToTheLowestId() {
        Sampler greedy = new Sampler(SamplingOptions.GREEDY, 4);
        assertEquals(1, greedy.sample(new float[] {1f, 3f, 3f, 2f}, new TokenHistory(4)));
        assertEquals(3, greedy.sample(new float[] {Float.NEGATIVE_INFINITY, -5f, -4f, -1f}, new TokenHistory(4)));
        Random random = new Random(SEED);
        Sampler nearZero = new Sampler(options(0.5e-5f, 0, 1f, 0f, SEED), 500);
        for (int trial = 0; trial < 50; trial++) {
            float[] logits = gaussian(random, 500);
            int expected = 0;
            for (int i = 1; i < logits.length; i++) {
                expected = logits[i] > logits[expected] ? i : expected;
            }
            assertEquals(expected, nearZero.sample(logits, new TokenHistory(500)), "seed " + SEED + ", trial " + trial);
        }
    }

    @Test
    void penaltiesMatchHandComputedValues() {
        TokenHistory history = new TokenHistory(6);
        history.addPrompt(new int[] {0, 1});
        history.addOutput(2);
        history.addOutput(2);
        history.addOutput(3);
        Sampler sampler = new Sampler(new SamplingOptions(1f, 0, 1f, 0f, SEED, 2f, 0.5f, 0.25f), 6);
        float[] logits = {2f, -2f, 1f, -1f, 0.5f, 3f};
        sampler.penalize(logits, history);
        // 0: prompt, positive: 2 / 2. 1: prompt, negative: -2 * 2.
        // 2: output twice, positive: 1 / 2 - 0.5 * 2 - 0.25. 3: output once, negative: -1 * 2 - 0.5 - 0.25.
        assertArrayEquals(new float[] {1f, -4f, -0.75f, -2.75f, 0.5f, 3f}, logits);
    }

    @Test
    void penaltiesChangeTheGreedyChoiceButNotTheCallersLogits() {
        float[] logits = {2f, 1.5f, 0f};
        TokenHistory history = new TokenHistory(3);
        history.addPrompt(new int[] {0});
        assertEquals(1, new Sampler(new SamplingOptions(0f, 0, 1f, 0f, null, 2f, 0f, 0f), 3).sample(logits, history));
        assertEquals(0, new Sampler(SamplingOptions.GREEDY, 3).sample(logits, history));
        TokenHistory output = new TokenHistory(3);
        output.addOutput(0);
        assertEquals(1, new Sampler(new SamplingOptions(0f, 0, 1f, 0f, null, 1f, 0f, 1f), 3).sample(logits, output));
        assertEquals(0, new Sampler(new SamplingOptions(0f, 0, 1f, 0f, null, 1f, 0.4f, 0f), 3).sample(logits, output));
        assertEquals(1, new Sampler(new SamplingOptions(0f, 0, 1f, 0f, null, 1f, 0.6f, 0f), 3).sample(logits, output));
        new Sampler(new SamplingOptions(0.8f, 2, 0.9f, 0.1f, SEED, 1.3f, 0.5f, 0.5f), 3).sample(logits, output);
        assertArrayEquals(new float[] {2f, 1.5f, 0f}, logits);
    }

    @Test
    void temperatureGivesSoftmaxOfScaledLogits() {
        float[] logits = {1f, 2f, 0.5f, -1f, 1.5f};
        for (float t : new float[] {0.5f, 1f, 2f}) {
            double[] expected = softmax(logits, t, new boolean[] {true, true, true, true, true});
            checkFrequencies(options(t, 0, 1f, 0f, SEED), logits, expected, "temperature " + t);
        }
    }

    @Test
    void topKKeepsTheKBestAndEveryTieOfTheKth() {
        float[] logits = {1f, 2f, 0.5f, -1f, 1.5f};
        checkFrequencies(options(1f, 2, 1f, 0f, SEED), logits,
                softmax(logits, 1f, new boolean[] {false, true, false, false, true}), "top_k 2");
        float[] tied = {1f, 2f, 2f, 0f};
        checkFrequencies(options(1f, 1, 1f, 0f, SEED), tied,
                softmax(tied, 1f, new boolean[] {false, true, true, false}), "top_k 1 with a tie");
        checkFrequencies(options(1f, -1, 1f, 0f, SEED), logits,
                softmax(logits, 1f, new boolean[] {true, true, true, true, true}), "top_k -1");
    }

    @Test
    void topPKeepsTheSmallestPrefixReachingP() {
        float[] logits = logOf(0.1, 0.3, 0.15, 0.25, 0.2);
        // Most likely first: 0.3 (id 1), then 0.25 (id 3) reaches 0.55 >= 0.5; nothing more.
        checkFrequencies(options(1f, 0, 0.5f, 0f, SEED), logits,
                softmax(logits, 1f, new boolean[] {false, true, false, true, false}), "top_p 0.5");
        checkFrequencies(options(1f, 0, 0.25f, 0f, SEED), logits,
                softmax(logits, 1f, new boolean[] {false, true, false, false, false}), "top_p 0.25");
        // After top_k 3 renormalises {0.3, 0.25, 0.2}, 0.3/0.75 = 0.4 < 0.5 so top_p 0.5 keeps two.
        checkFrequencies(options(1f, 3, 0.5f, 0f, SEED), logits,
                softmax(logits, 1f, new boolean[] {false, true, false, true, false}), "top_k 3, top_p 0.5");
    }

    @Test
    void minPDropsTokensLessLikelyThanMinPTimesTheTopOne() {
        float[] logits = logOf(0.4, 0.1, 0.3, 0.2);
        checkFrequencies(options(1f, 0, 1f, 0.6f, SEED), logits,
                softmax(logits, 1f, new boolean[] {true, false, true, false}), "min_p 0.6");
        checkFrequencies(options(1f, 0, 1f, 0.2f, SEED), logits,
                softmax(logits, 1f, new boolean[] {true, true, true, true}), "min_p 0.2");
    }

    @Test
    void minPComesBeforeTopPAsInVllmV1() {
        // min_p 0.45 drops only 0.1; top_p then sees {0.3, 0.25, 0.2, 0.15} / 0.9, where the first two
        // reach 0.61 >= 0.6. Applied to the unfiltered distribution (vLLM V0's order) top_p would keep three.
        float[] logits = logOf(0.3, 0.25, 0.2, 0.15, 0.1);
        checkFrequencies(options(1f, 0, 0.6f, 0.45f, SEED), logits,
                softmax(logits, 1f, new boolean[] {true, true, false, false, false}), "min_p 0.45, top_p 0.6");
    }

    @Test
    void theSameSeedGivesTheSameTokensWhateverElseRuns() {
        SamplingOptions options = options(0.9f, 40, 0.95f, 0.02f, SEED);
        int[] alone = generate(new Sampler(options, 3000), null);
        Sampler other = new Sampler(options(1.2f, 0, 1f, 0f, SEED + 1), 3000);
        int[] interleaved = generate(new Sampler(options, 3000), other);
        assertArrayEquals(alone, interleaved, "seed " + SEED);
        int[] different = generate(new Sampler(options(0.9f, 40, 0.95f, 0.02f, SEED + 7), 3000), null);
        assertFalse(Arrays.equals(alone, different), "seeds " + SEED + " and " + (SEED + 7) + " gave one sequence");
        assertTrue(Arrays.stream(alone).distinct().count() > 20, "seed " + SEED + ": the draws hardly vary");
    }

    @Test
    void wrongSizesAndUnusableLogitsAreInternalErrors() {
        Sampler sampler = new Sampler(options(1f, 0, 1f, 0f, SEED), 4);
        EngineException e = assertThrows(EngineException.class, () -> sampler.sample(new float[5], new TokenHistory(4)));
        assertEquals(ErrorCategory.INTERNAL, e.category());
        assertEquals("sampler for a vocabulary of 4 got 5 logits and a history of 4 tokens", e.getMessage());
        float[] nan = {0f, Float.NaN, 1f, 2f};
        assertEquals(ErrorCategory.INTERNAL,
                assertThrows(EngineException.class, () -> sampler.sample(nan, new TokenHistory(4))).category());
        float[] masked = new float[4];
        Arrays.fill(masked, Float.NEGATIVE_INFINITY);
        assertEquals(ErrorCategory.INTERNAL, assertThrows(EngineException.class,
                () -> new Sampler(SamplingOptions.GREEDY, 4).sample(masked, new TokenHistory(4))).category());
    }

    /** Samples a 60-token sequence, the logits of each step drawn from a fixed stream, feeding each token back. */
    private static int[] generate(Sampler sampler, Sampler interleaved) {
        Random logitsStream = new Random(SEED);
        TokenHistory history = new TokenHistory(3000);
        history.addPrompt(new int[] {1, 2, 3});
        int[] tokens = new int[60];
        for (int i = 0; i < tokens.length; i++) {
            float[] logits = gaussian(logitsStream, 3000);
            if (interleaved != null) {
                interleaved.sample(logits, new TokenHistory(3000));
            }
            tokens[i] = sampler.sample(logits, history);
            history.addOutput(tokens[i]);
        }
        return tokens;
    }

    /** Draws DRAWS tokens and checks each frequency within 5 standard errors, and zero where p is 0. */
    private static void checkFrequencies(SamplingOptions options, float[] logits, double[] expected, String what) {
        Sampler sampler = new Sampler(options, logits.length);
        TokenHistory history = new TokenHistory(logits.length);
        int[] counts = new int[logits.length];
        for (int i = 0; i < DRAWS; i++) {
            counts[sampler.sample(logits, history)]++;
        }
        for (int id = 0; id < logits.length; id++) {
            String where = what + ", seed " + options.seed() + ", token " + id + ", counts " + Arrays.toString(counts);
            if (expected[id] == 0) {
                assertEquals(0, counts[id], where);
            } else {
                double mean = DRAWS * expected[id];
                double sd = Math.sqrt(DRAWS * expected[id] * (1 - expected[id]));
                assertTrue(Math.abs(counts[id] - mean) <= 5 * sd + 1, where + ", expected " + mean);
            }
        }
    }

    static double[] softmax(float[] logits, double temperature, boolean[] kept) {
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = kept[i] ? Math.exp(logits[i] / temperature) : 0;
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    static SamplingOptions options(float temperature, int topK, float topP, float minP, long seed) {
        return new SamplingOptions(temperature, topK, topP, minP, seed, 1f, 0f, 0f);
    }

    private static float[] logOf(double... probabilities) {
        float[] logits = new float[probabilities.length];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) Math.log(probabilities[i]);
        }
        return logits;
    }

    static float[] gaussian(Random random, int n) {
        float[] logits = new float[n];
        for (int i = 0; i < n; i++) {
            logits[i] = (float) (random.nextGaussian() * 3);
        }
        return logits;
    }
}
