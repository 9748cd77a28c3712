package io.jynamo.engine.model;

import io.jynamo.engine.GreedyGenerator;
import io.jynamo.engine.GgmlType;
import io.jynamo.testkit.ModelFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine agrees with itself across containers, thread counts, cache layouts and batch sizes. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ModelConsistencyTest {
    static final int TOKENS = 16;

    static Stream<Arguments> familiesAndDtypes() {
        return ModelFamily.ALL.stream().flatMap(f -> Stream.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16)
                .map(t -> Arguments.of(f.name(), t)));
    }

    /** The same weights as GGUF and as safetensors: GGUF llama files even permute q/k rows. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("familiesAndDtypes")
    void ggufAndSafetensorsGiveTheSameLogits(String familyName, GgmlType dtype) {
        ModelFamily family = ModelFamily.byName(familyName);
        GreedyGenerator.Result gguf = TestModels.generate(TestModels.gguf(family, dtype), TestModels.PROMPT, TOKENS,
                TestModels.options(2));
        GreedyGenerator.Result hf = TestModels.generate(TestModels.huggingFace(family, dtype, 0), TestModels.PROMPT,
                TOKENS, TestModels.options(2));
        // Same stored values; only the order of float sums inside attention differs (permuted head dims).
        double tol = 1e-4 * Math.max(1, TestModels.std(gguf.promptLogits())) + 1e-5;
        float diff = TestModels.maxAbsDiff(gguf.promptLogits(), hf.promptLogits());
        assertTrue(diff <= tol, "GGUF and safetensors logits differ by " + diff);
        assertArrayEquals(gguf.tokens(), hf.tokens());
    }

    @Test
    void shardedSafetensorsLoadLikeOneFile() {
        Path single = TestModels.huggingFace(ModelFamily.QWEN2, GgmlType.BF16, 0);
        Path sharded = TestModels.huggingFace(ModelFamily.QWEN2, GgmlType.BF16, 4 << 20);
        GreedyGenerator.Result a = TestModels.generate(single, TestModels.PROMPT, TOKENS, TestModels.options(1));
        GreedyGenerator.Result b = TestModels.generate(sharded, TestModels.PROMPT, TOKENS, TestModels.options(1));
        assertArrayEquals(a.promptLogits(), b.promptLogits());
        assertArrayEquals(a.tokens(), b.tokens());
    }

    static Stream<Arguments> types() {
        return Stream.of(GgmlType.values()).map(Arguments::of);
    }

    /** Rows are split among threads, never a single dot product: results are bit-identical. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void oneThreadAndManyThreadsAgree(GgmlType type) {
        Path file = TestModels.gguf(ModelFamily.LLAMA3, type);
        GreedyGenerator.Result one = TestModels.generate(file, TestModels.PROMPT, TOKENS, TestModels.options(1));
        GreedyGenerator.Result many = TestModels.generate(file, TestModels.PROMPT, TOKENS, TestModels.options(3));
        assertArrayEquals(one.promptLogits(), many.promptLogits());
        assertArrayEquals(one.tokens(), many.tokens());
    }

    /** Paged attention with 16-token blocks equals attention over one contiguous block. */
    @Test
    void pagedCacheEqualsContiguousCache() {
        Path file = TestModels.gguf(ModelFamily.QWEN3, GgmlType.Q8_0);
        GreedyGenerator.Result paged = TestModels.generate(file, TestModels.PROMPT, 40,
                new GreedyGenerator.Options(2, 512, 256, 16, 0));
        GreedyGenerator.Result contiguous = TestModels.generate(file, TestModels.PROMPT, 40,
                new GreedyGenerator.Options(2, 512, 256, 256, 0));
        assertArrayEquals(paged.promptLogits(), contiguous.promptLogits());
        assertArrayEquals(paged.tokens(), contiguous.tokens());
    }

    /** A prompt fed in one batch or one token at a time gives the same logits (up to summation order). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void batchedPrefillEqualsTokenByToken(GgmlType type) {
        Path file = TestModels.gguf(ModelFamily.MISTRAL, type);
        GreedyGenerator.Result batched = TestModels.generate(file, TestModels.PROMPT, TOKENS,
                new GreedyGenerator.Options(2, 512, 256, 16, 0));
        GreedyGenerator.Result single = TestModels.generate(file, TestModels.PROMPT, TOKENS,
                new GreedyGenerator.Options(2, 1, 256, 16, 0));
        float diff = TestModels.maxAbsDiff(batched.promptLogits(), single.promptLogits());
        assertTrue(diff <= 1e-4 * Math.max(1, TestModels.std(single.promptLogits())),
                "batched and token-by-token prefill differ by " + diff);
    }
}
