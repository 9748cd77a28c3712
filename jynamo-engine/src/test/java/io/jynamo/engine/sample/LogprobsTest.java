package io.jynamo.engine.sample;

import io.jynamo.api.output.TokenLogprob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jynamo.api.ErrorCategory;
import io.jynamo.engine.EngineException;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LogprobsTest {
    private static final long SEED = 0x10_6_9_70_85L;

    @Test
    void matchesADoublePrecisionLogSoftmax() {
        Random random = new Random(SEED);
        Logprobs lp = new Logprobs();
        for (int trial = 0; trial < 20; trial++) {
            float[] logits = new float[2000];
            for (int i = 0; i < logits.length; i++) {
                logits[i] = (float) (random.nextGaussian() * 4 + 30); // large offset: needs the max shift
            }
            double[] ref = logSoftmax(logits);
            int chosen = random.nextInt(logits.length);
            lp.compute(logits, chosen, 20);
            String where = "seed " + SEED + ", trial " + trial;
            assertEquals(ref[chosen], lp.logprob(), 1e-5, where);
            assertEquals(chosen, lp.token());
            assertEquals((int) IntStream.range(0, logits.length).filter(i -> ref[i] >= ref[chosen]).count(),
                    lp.rank(), where);
            Integer[] order = IntStream.range(0, logits.length).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> -ref[i]).thenComparingInt(i -> i))
                    .toArray(Integer[]::new);
            assertEquals(20, lp.topCount());
            for (int i = 0; i < 20; i++) {
                assertEquals(order[i], lp.topToken(i), where + ", top " + i);
                assertEquals(ref[order[i]], lp.topLogprob(i), 1e-5, where + ", top " + i);
            }
            double probability = 0;
            for (float x : logits) {
                probability += Math.exp(x - lp.logSumExp(logits));
            }
            assertEquals(1.0, probability, 1e-6, where);
        }
    }

    @Test
    void tiesGoToTheLowerIdAndShareTheirRank() {
        Logprobs lp = new Logprobs();
        float[] logits = {0f, 2f, 1f, 2f, 2f};
        lp.compute(logits, 3, 3);
        assertEquals(3, lp.rank(), "three tokens are at least as likely as token 3");
        assertEquals(new TokenLogprob(1, lp.topLogprob(0)), lp.top(0));
        assertEquals(3, lp.topToken(1));
        assertEquals(4, lp.topToken(2));
        double logZ = Math.log(1 + 3 * Math.exp(2) + Math.exp(1));
        assertEquals(2 - logZ, lp.chosen().logprob(), 1e-6);
    }

    @Test
    void fewerTopTokensThanAskedWhenTheVocabularyIsSmallAndNoneWhenNoneAsked() {
        Logprobs lp = new Logprobs();
        lp.compute(new float[] {1f, 3f}, 0, 20);
        assertEquals(2, lp.topCount());
        assertEquals(1, lp.topToken(0));
        assertEquals(2, lp.rank());
        lp.compute(new float[] {1f, 3f}, 1, 0);
        assertEquals(0, lp.topCount());
        assertEquals(ErrorCategory.INTERNAL, assertThrows(EngineException.class, () -> lp.topToken(0)).category());
    }

    @Test
    void outOfRangeArgumentsAreRejectedWithTheirValue() {
        Logprobs lp = new Logprobs();
        float[] logits = new float[4];
        assertEquals("top_logprobs must be in [0, 20], got 21",
                assertThrows(EngineException.class, () -> lp.compute(logits, 0, 21)).getMessage());
        assertEquals("token id 4 is outside the vocabulary of 4",
                assertThrows(EngineException.class, () -> lp.compute(logits, 4, 1)).getMessage());
    }

    static double[] logSoftmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float x : logits) {
            max = Math.max(max, x);
        }
        double sum = 0;
        for (float x : logits) {
            sum += Math.exp(x - max);
        }
        double logZ = max + Math.log(sum);
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logits[i] - logZ;
        }
        return out;
    }
}
