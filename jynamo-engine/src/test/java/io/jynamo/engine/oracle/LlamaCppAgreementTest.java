package io.jynamo.engine.oracle;

import io.jynamo.engine.GreedyGenerator;
import io.jynamo.engine.model.TestModels;
import io.jynamo.engine.tensor.GgmlType;
import io.jynamo.engine.testmodel.ModelFamily;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine against llama.cpp on the same GGUF file, for every architecture and weight type: greedy
 * continuations must be identical up to llama.cpp's first near-tie, and the logits at the end of
 * the prompt within a tolerance stated per weight type (relative to the logits' spread).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LlamaCppAgreementTest {
    static final int MAX_TOKENS = 32;
    /** A top-2 gap below this is a near-tie: rounding may legitimately pick either token. */
    static final float NEAR_TIE = 0.02f;

    static Stream<Arguments> cases() {
        return ModelFamily.ALL.stream().flatMap(f -> Arrays.stream(GgmlType.values()).map(t -> Arguments.of(f.name(), t)));
    }

    /** Largest |ours - llama.cpp| allowed, as a fraction of the standard deviation of llama.cpp's logits. */
    static double tolerance(GgmlType type) {
        return switch (type) {
            case F32, F16, BF16 -> 0.01;
            case Q8_0, Q4_0, Q4_K, Q6_K -> 0.02;
        };
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void agreesWithLlamaCpp(String familyName, GgmlType type) throws Exception {
        ModelFamily family = ModelFamily.byName(familyName);
        Path file = TestModels.gguf(family, type);
        GreedyGenerator.Result ours = TestModels.generate(file, TestModels.PROMPT, MAX_TOKENS, TestModels.options(2));
        LlamaCppOracle.Answer ref = LlamaCppOracle.run(file, TestModels.PROMPT, MAX_TOKENS, 2);

        float[] mine = ref.logProbs() ? TestModels.logSoftmax(ours.promptLogits()) : ours.promptLogits();
        double spread = TestModels.std(ref.promptLogits());
        double diff = TestModels.maxAbsDiff(mine, ref.promptLogits());
        int decisive = ref.decisiveSteps(NEAR_TIE);
        System.out.printf(Locale.ROOT, "%s %s: max|dlogit| = %.5f (%.4f of spread %.4f), decisive steps %d/%d%n",
                familyName, type, diff, diff / spread, spread, decisive, MAX_TOKENS);
        assertTrue(diff <= tolerance(type) * spread, String.format(Locale.ROOT,
                "logits differ from llama.cpp by %.5f, more than %.3f x spread %.4f", diff, tolerance(type), spread));
        assertTrue(decisive >= 8, "llama.cpp's continuation has a near-tie after " + decisive
                + " steps: the test model is too flat to compare greedy tokens");
        assertArrayEquals(Arrays.copyOf(ref.tokens(), decisive), Arrays.copyOf(ours.tokens(), decisive),
                "greedy tokens before llama.cpp's first near-tie");
    }
}
