package io.jynamo.engine.oracle;

import io.jynamo.engine.GreedyGenerator;
import io.jynamo.engine.ModelLoader;
import io.jynamo.engine.Model;
import io.jynamo.engine.model.TestModels;
import io.jynamo.engine.GgmlType;
import io.jynamo.testkit.ModelFamily;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine against llama.cpp on the same GGUF file, for every architecture and weight type.
 *
 * <p>Both round activations the same way (f16/bf16, or q8_0/q8_K for quantised weights), but float
 * sums run in another order, and a rounding step that lands the other side of a q8 boundary moves
 * later values by a whole quantum. So the logits at the end of the prompt must agree within a
 * tolerance per weight type (relative to the spread of llama.cpp's logits), and greedy tokens must
 * agree wherever llama.cpp's choice is not a near-tie: free-running until its first near-tie, and,
 * teacher-forced along llama.cpp's own continuation, at every one of the 32 steps that is not one.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LlamaCppAgreementTest {
    static final int MAX_TOKENS = 32;

    static Stream<Arguments> cases() {
        return ModelFamily.ALL.stream().flatMap(f -> Arrays.stream(GgmlType.values()).map(t -> Arguments.of(f.name(), t)));
    }

    /** Largest |ours - llama.cpp| logit difference allowed, as a fraction of the spread of llama.cpp's logits. */
    static double tolerance(GgmlType type) {
        return switch (type) {
            case F32, F16 -> 0.005;
            // bf16 keeps 8 significant bits: a rounding flip moves values as much as a q8 step does.
            case BF16 -> 0.05;
            case Q8_0, Q4_0, Q4_K, Q6_K -> 0.10;
        };
    }

    /** A top-2 gap below this (fraction of the spread) is a near-tie: either token is a fair answer. */
    static double nearTie(GgmlType type) {
        return switch (type) {
            case F32, F16 -> 0.01;
            case BF16 -> 0.06;
            case Q8_0, Q4_0, Q4_K, Q6_K -> 0.12;
        };
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void agreesWithLlamaCpp(String familyName, GgmlType type) throws Exception {
        ModelFamily family = ModelFamily.byName(familyName);
        Path file = TestModels.gguf(family, type);
        LlamaCppOracle.Answer ref = LlamaCppOracle.run(file, TestModels.PROMPT, MAX_TOKENS, 2);
        GreedyGenerator.Result free;
        GreedyGenerator.Result forced;
        try (Model m = ModelLoader.load(file); GreedyGenerator g = new GreedyGenerator(m, TestModels.options(2))) {
            free = g.generate(TestModels.PROMPT, MAX_TOKENS);
            forced = g.followForced(TestModels.PROMPT, ref.tokens());
        }

        float[] mine = ref.logProbs() ? TestModels.logSoftmax(free.promptLogits()) : free.promptLogits();
        double spread = TestModels.std(ref.promptLogits());
        double diff = TestModels.maxAbsDiff(mine, ref.promptLogits());
        float tie = (float) (nearTie(type) * spread);
        int decisive = ref.decisiveSteps(tie);
        int compared = 0;
        for (int i = 0; i < MAX_TOKENS; i++) {
            if (ref.gaps()[i] >= tie) {
                compared++;
                assertEquals(ref.tokens()[i], forced.tokens()[i], "teacher-forced step " + i + " (llama.cpp's gap "
                        + ref.gaps()[i] + "): llama.cpp " + Arrays.toString(ref.tokens()) + ", ours "
                        + Arrays.toString(forced.tokens()));
            }
        }
        System.out.printf(Locale.ROOT, "%s %s: max|dlogit| %.5f = %.4f of spread %.4f; free-running agrees for %d/%d"
                        + " steps before a near-tie; teacher-forced agrees on %d/%d decisive steps%n",
                familyName, type, diff, diff / spread, spread, decisive, MAX_TOKENS, compared, MAX_TOKENS);
        assertTrue(diff <= tolerance(type) * spread, String.format(Locale.ROOT,
                "logits differ from llama.cpp by %.5f, more than %.3f x spread %.4f", diff, tolerance(type), spread));
        assertArrayEquals(Arrays.copyOf(ref.tokens(), decisive), Arrays.copyOf(free.tokens(), decisive),
                "free-running greedy tokens before llama.cpp's first near-tie");
        assertTrue(compared >= MAX_TOKENS / 2, "only " + compared + " of " + MAX_TOKENS
                + " steps are not near-ties: the test model is too flat to compare greedy tokens");
    }
}
