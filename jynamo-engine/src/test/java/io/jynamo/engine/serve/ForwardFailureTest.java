package io.jynamo.engine.serve;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.output.EngineOutput;
import io.jynamo.api.request.SamplingOptions;
import io.jynamo.engine.ModelLoader;
import io.jynamo.engine.model.Model;
import io.jynamo.engine.tensor.GgmlType;
import io.jynamo.engine.testmodel.ModelFamily;
import io.jynamo.engine.model.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static io.jynamo.engine.serve.EngineHarness.drain;
import static io.jynamo.engine.serve.EngineHarness.request;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A forward pass that throws fails the sequences of that step with an INTERNAL error, frees their KV
 * blocks, and leaves the engine serving: the next request gets exactly what it gets on a healthy engine.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ForwardFailureTest {
    /** A prompt holding this id makes the injected forward pass throw. */
    static final int POISON = 28_999;
    static Model model;

    @BeforeAll
    static void load() {
        model = ModelLoader.load(TestModels.gguf(ModelFamily.LLAMA3, GgmlType.Q8_0));
    }

    @AfterAll
    static void unload() {
        model.close();
    }

    private static ForwardPass poisoned(ForwardPass real) {
        return (n, tokens, positions, tables, cache, nLogits, logitRows, logits) -> {
            for (int i = 0; i < n; i++) {
                if (tokens[i] == POISON) {
                    throw new IllegalStateException("injected failure");
                }
            }
            real.run(n, tokens, positions, tables, cache, nLogits, logitRows, logits);
        };
    }

    @Test
    void aFailedStepFailsItsSequencesFreesTheirBlocksAndTheEngineServesOn() throws InterruptedException {
        int[] healthy = {11, 22, 33, 44, 55, 66, 77, 88, 99, 111, 222, 333, 444, 555, 666, 777, 888, 999};
        int[] expected;
        try (JynamoEngine plain = new JynamoEngine(model, JynamoEngineTest.config(512, 0))) {
            expected = drain(plain.submit(request("ref", healthy, 8, SamplingOptions.GREEDY)), 1)[0].tokens();
        }
        try (JynamoEngine engine = new JynamoEngine(model, JynamoEngineTest.config(512, 0), ForwardFailureTest::poisoned)) {
            int[] bad = healthy.clone();
            bad[bad.length - 1] = POISON;
            EngineHarness.Outcome failed = drain(engine.submit(request("bad", bad, 8, SamplingOptions.GREEDY)), 1)[0];
            EngineOutput.Failed f = assertInstanceOf(EngineOutput.Failed.class, failed.terminal());
            assertEquals(ErrorCategory.INTERNAL, f.category());
            assertTrue(f.message().contains("injected failure"), f.message());

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (engine.metrics().kvBlocksUsed() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(0, engine.metrics().kvBlocksUsed(), "the failed sequence's blocks are freed");
            assertEquals(0, engine.metrics().running());

            EngineHarness.Outcome after = drain(engine.submit(request("after", healthy, 8, SamplingOptions.GREEDY)), 1)[0];
            assertArrayEquals(expected, after.tokens());
        }
    }
}
