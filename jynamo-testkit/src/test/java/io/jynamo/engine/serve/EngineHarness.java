package io.jynamo.engine.serve;

import io.jynamo.api.output.EngineOutput;
import io.jynamo.api.request.OutputOptions;
import io.jynamo.api.request.PreprocessedRequest;
import io.jynamo.api.request.SamplingOptions;
import io.jynamo.api.request.StopConditions;
import io.jynamo.api.engine.Engine;
import io.jynamo.api.engine.EngineMetrics;
import io.jynamo.api.engine.RequestStream;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/** Helpers for the engine tests: requests, and reading a stream to its end. */
final class EngineHarness {
    private EngineHarness() {}

    /** What one sequence produced. */
    record Outcome(int[] tokens, EngineOutput terminal, int items, int logprobs) {}

    static PreprocessedRequest request(String id, int[] prompt, int maxTokens, SamplingOptions sampling) {
        return new PreprocessedRequest(id, "tiny", prompt, sampling, StopConditions.maxTokens(maxTokens),
                OutputOptions.NONE, 1);
    }

    static SamplingOptions seeded(long seed) {
        return new SamplingOptions(0.9f, 40, 0.95f, 0f, seed, 1f, 0f, 0f);
    }

    /** Reads a stream to its end; one outcome per sequence index. */
    static Outcome[] drain(RequestStream stream, int n) throws InterruptedException {
        List<List<Integer>> tokens = new ArrayList<>();
        EngineOutput[] terminal = new EngineOutput[n];
        int[] items = new int[n];
        int[] logprobs = new int[n];
        for (int i = 0; i < n; i++) {
            tokens.add(new ArrayList<>());
        }
        EngineOutput out;
        while ((out = stream.take()) != null) {
            int i = out.index();
            if (terminal[i] != null) {
                fail("sequence " + i + " got " + out + " after its terminal item");
            }
            items[i]++;
            switch (out) {
                case EngineOutput.Tokens t -> {
                    for (int id : t.tokenIds()) {
                        tokens.get(i).add(id);
                    }
                    if (t.logprobs() != null) {
                        logprobs[i] += t.logprobs().length;
                    }
                }
                case EngineOutput.Finished f -> terminal[i] = f;
                case EngineOutput.Failed f -> terminal[i] = f;
            }
        }
        Outcome[] result = new Outcome[n];
        for (int i = 0; i < n; i++) {
            assertNotNull(terminal[i], "sequence " + i + " has no terminal item");
            result[i] = new Outcome(tokens.get(i).stream().mapToInt(Integer::intValue).toArray(), terminal[i],
                    items[i], logprobs[i]);
        }
        return result;
    }

    static Outcome runAlone(Engine engine, PreprocessedRequest r) throws InterruptedException {
        return drain(engine.submit(r), 1)[0];
    }

    /** Waits (up to 10 s) until the metrics, published after each step, satisfy the condition. */
    static EngineMetrics awaitMetrics(Engine engine, Predicate<EngineMetrics> condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.test(engine.metrics())) {
            if (System.nanoTime() > deadline) {
                fail("metrics never reached the expected state: " + engine.metrics());
            }
            Thread.sleep(2);
        }
        return engine.metrics();
    }

    static void assertFinished(Outcome o, int completion) {
        EngineOutput.Finished f = (EngineOutput.Finished) o.terminal();
        assertEquals(completion, f.completionTokens());
        assertEquals(completion, o.tokens().length);
    }
}
