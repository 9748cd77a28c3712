package io.jynamo.engine.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jynamo.api.request.SamplingOptions;
import io.jynamo.engine.kernel.Kernels;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The selection-based filters against a plain full-sort reference, on random and tie-heavy logits. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TruncationTest {
    private static final long SEED = 77_031L;

    @Test
    void keepsExactlyWhatAFullSortKeeps() {
        Random random = new Random(SEED);
        int vocab = 4000;
        SamplerScratch scratch = new SamplerScratch(vocab);
        for (int trial = 0; trial < 300; trial++) {
            float[] x = logits(random, vocab, trial % 3 == 0);
            float minP = random.nextBoolean() ? 0f : random.nextFloat() * 0.3f;
            int topK = switch (random.nextInt(3)) {
                case 0 -> 0;
                case 1 -> 1 + random.nextInt(300);
                default -> vocab + random.nextInt(5);
            };
            float topP = random.nextInt(4) == 0 ? 1f : 0.05f + random.nextFloat() * 0.949f;
            float max = max(x);
            System.arraycopy(x, 0, scratch.values, 0, vocab);
            int n = Truncation.keep(scratch, max, minP, topK, topP);
            double[] exact = softmax(x, max);
            TreeSet<Integer> kept = new TreeSet<>();
            for (int i = 0; i < n; i++) {
                int id = scratch.candidates[i];
                kept.add(id);
                assertEquals(exact[id], scratch.values[id], 1e-5 * exact[id], "probability of kept token " + id); // Expf, float x - max
            }
            String where = "seed " + SEED + ", trial " + trial + ", min_p " + minP + ", top_k " + topK + ", top_p " + topP;
            assertEquals(n, kept.size(), where + ": a token kept twice");
            assertEquals(reference(x, max, minP, topK, topP), kept, where);
        }
    }

    @Test
    void kthLargestMatchesASortEvenWithManyTies() {
        Random random = new Random(SEED);
        SamplerScratch scratch = new SamplerScratch(1000);
        for (int trial = 0; trial < 200; trial++) {
            float[] x = logits(random, 1000, trial % 2 == 0);
            System.arraycopy(x, 0, scratch.values, 0, x.length);
            for (int i = 0; i < x.length; i++) {
                scratch.candidates[i] = i;
            }
            float[] sorted = x.clone();
            Arrays.sort(sorted);
            int k = 1 + random.nextInt(x.length);
            assertEquals(sorted[x.length - k], Truncation.kthLargest(scratch, x.length, k),
                    "seed " + SEED + ", trial " + trial + ", k " + k);
        }
    }

    @Test
    void massSelectionStopsAtTheFirstPrefixReachingTheTargetExactly() {
        // Small integer weights: every prefix sum is exact, so targets that equal a prefix sum test
        // the boundary (a prefix that reaches the target exactly takes nothing more).
        Random random = new Random(SEED);
        for (int trial = 0; trial < 40; trial++) {
            int n = 20 + random.nextInt(200);
            float[] w = new float[n];
            int[] c = new int[n];
            for (int i = 0; i < n; i++) {
                w[i] = 1 + random.nextInt(4);
                c[i] = i;
            }
            Integer[] order = IntStream.range(0, n).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> -w[i]).thenComparingInt(i -> i)).toArray(Integer[]::new);
            double prefix = 0;
            for (int keep = 1; keep <= n; keep++) {
                prefix += w[order[keep - 1]];
                for (double target : new double[] {prefix - 0.5, prefix}) {
                    int r = Truncation.selectByMass(w, c, n, target);
                    String where = "seed " + SEED + ", trial " + trial + ", target " + target;
                    assertEquals(keep, r, where);
                    TreeSet<Integer> kept = new TreeSet<>();
                    for (int i = 0; i < r; i++) {
                        kept.add(c[i]);
                    }
                    assertEquals(new TreeSet<>(Arrays.asList(order).subList(0, keep)), kept, where);
                }
            }
        }
    }

    @Test
    void samplingAQwenSizedVocabularyAllocatesNothingInSteadyState() {
        int vocab = 151_936;
        Random random = new Random(SEED);
        float[] logits = logits(random, vocab, false);
        TokenHistory history = new TokenHistory(vocab);
        history.addPrompt(new int[] {5, 6, 7});
        Sampler sampler = new Sampler(new SamplingOptions(0.8f, 50, 0.9f, 0.01f, SEED, 1.1f, 0.2f, 0.1f), vocab);
        Sampler plain = new Sampler(SamplerTest.options(1f, 0, 0.95f, 0f, SEED), vocab);
        Logprobs logprobs = new Logprobs();
        for (int i = 0; i < 30; i++) {
            history.addOutput(sampler.sample(logits, history));
            plain.sample(logits, history);
            logprobs.compute(logits, i, 20);
        }
        // The least a round allocated, over rounds on this thread: a round may still run code the JIT has
        // not finished compiling (how long that takes depends on the CPU and on what ran before in this
        // JVM), but code that allocates by design, such as a vocabulary-sized buffer per call
        // (1.8 MB), allocates in every round.
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 20 && least >= 16 * 1024; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 30; i++) {
                sampler.sample(logits, history);
                plain.sample(logits, history);
                logprobs.compute(logits, i, 20);
            }
            least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
        }
        assertTrue(least < 16 * 1024, "the least a round of 90 calls allocated: " + least + " bytes (seed " + SEED + ")");
    }

    private static TreeSet<Integer> reference(float[] x, float max, float minP, int topK, float topP) {
        float floor = minP > 0 ? (float) (max + Math.log(minP)) : -Float.MAX_VALUE;
        List<Integer> ids = IntStream.range(0, x.length).filter(i -> x[i] >= floor).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -x[i]).thenComparingInt(i -> i)).toList();
        if (topK > 0 && topK < ids.size()) {
            float kth = x[ids.get(topK - 1)];
            ids = ids.stream().filter(i -> x[i] >= kth).toList();
        }
        // The same float probabilities as the code under test, so that ties and order agree.
        float[] w = x.clone();
        Kernels.softmax(w, 0, w.length);
        double total = 0;
        for (int i : ids) {
            total += w[i];
        }
        if (topP < 1) {
            ids = ids.stream().sorted(Comparator.comparingDouble((Integer i) -> -w[i]).thenComparingInt(i -> i)).toList();
            double above = 0;
            int keep = 0;
            while (keep < ids.size() && above < topP * total) {
                above += w[ids.get(keep++)];
            }
            ids = ids.subList(0, keep);
        }
        return new TreeSet<>(ids);
    }

    private static double[] softmax(float[] x, float max) {
        double[] p = new double[x.length];
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            p[i] = Math.exp((double) x[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < x.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** Gaussian logits of a random spread; with ties, rounded to halves so that many are equal. */
    private static float[] logits(Random random, int n, boolean ties) {
        double spread = 0.5 + random.nextDouble() * 8;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double v = random.nextGaussian() * spread;
            x[i] = ties ? Math.round(v * 2) / 2f : (float) v;
        }
        if (random.nextInt(5) == 0) {
            x[random.nextInt(n)] = Float.NEGATIVE_INFINITY; // a masked token
        }
        return x;
    }

    private static float max(float[] x) {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            m = Math.max(m, v);
        }
        return m;
    }
}
