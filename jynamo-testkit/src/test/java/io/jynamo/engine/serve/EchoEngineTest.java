package io.jynamo.engine.serve;

import io.jynamo.api.ErrorCategory;
import io.jynamo.engine.EchoEngine;
import io.jynamo.api.JynamoException;
import io.jynamo.api.engine.RequestStream;
import io.jynamo.api.output.EngineOutput;
import io.jynamo.api.output.FinishReason;
import io.jynamo.api.request.OutputOptions;
import io.jynamo.api.request.PreprocessedRequest;
import io.jynamo.api.request.SamplingOptions;
import io.jynamo.api.request.StopConditions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EchoEngineTest {
    private static PreprocessedRequest request(String id, int[] prompt, int maxTokens, int n, OutputOptions out) {
        return new PreprocessedRequest(id, "echo", prompt, SamplingOptions.GREEDY, StopConditions.maxTokens(maxTokens),
                out, n);
    }

    @Test
    void echoesThePromptAndStopsAtItsEnd() throws InterruptedException {
        try (EchoEngine engine = new EchoEngine(0, 100, 4, 4)) {
            EngineHarness.Outcome[] out = EngineHarness.drain(engine.submit(
                    request("a", new int[]{5, 6, 7}, 10, 2, new OutputOptions(true, 1))), 2);
            for (EngineHarness.Outcome o : out) {
                assertArrayEquals(new int[]{5, 6, 7}, o.tokens());
                EngineOutput.Finished f = assertInstanceOf(EngineOutput.Finished.class, o.terminal());
                assertEquals(FinishReason.STOP, f.reason());
                assertEquals(3, f.promptTokens());
                assertEquals(3, f.completionTokens());
                assertEquals(3, o.logprobs());
            }
        }
    }

    @Test
    void maxTokensCutsTheEchoWithLength() throws InterruptedException {
        try (EchoEngine engine = new EchoEngine(0, 100, 4, 4)) {
            EngineHarness.Outcome[] out = EngineHarness.drain(engine.submit(
                    request("a", new int[]{5, 6, 7, 8}, 2, 1, OutputOptions.NONE)), 1);
            assertArrayEquals(new int[]{5, 6}, out[0].tokens());
            assertEquals(FinishReason.LENGTH, ((EngineOutput.Finished) out[0].terminal()).reason());
        }
    }

    @Test
    void cancelEndsTheStreamAndFreesTheSlot() throws InterruptedException {
        try (EchoEngine engine = new EchoEngine(TimeUnit.MILLISECONDS.toNanos(20), 10_000, 1, 0)) {
            int[] prompt = new int[2000];
            RequestStream stream = engine.submit(request("slow", prompt, 2000, 1, OutputOptions.NONE));
            // With one slot and no waiting room a second request is refused while the first runs.
            JynamoException full = assertThrows(JynamoException.class,
                    () -> engine.submit(request("other", prompt, 10, 1, OutputOptions.NONE)));
            assertEquals(ErrorCategory.UNAVAILABLE, full.category());
            stream.cancel();
            EngineHarness.Outcome[] out = EngineHarness.drain(stream, 1);
            assertEquals(FinishReason.CANCELLED, ((EngineOutput.Finished) out[0].terminal()).reason());
            assertTrue(out[0].tokens().length < 2000);
            // The slot is free again: a new request runs to its end.
            EngineHarness.Outcome[] next = EngineHarness.drain(
                    engine.submit(request("next", new int[]{1, 2}, 5, 1, OutputOptions.NONE)), 1);
            assertArrayEquals(new int[]{1, 2}, next[0].tokens());
        }
    }

    @Test
    void refusesWhatCannotFitTheContext() {
        try (EchoEngine engine = new EchoEngine(0, 8, 4, 4)) {
            JynamoException e = assertThrows(JynamoException.class,
                    () -> engine.submit(request("a", new int[]{1, 2, 3, 4, 5}, 4, 1, OutputOptions.NONE)));
            assertEquals(ErrorCategory.BAD_REQUEST, e.category());
            assertTrue(e.getMessage().contains("context length of 8"), e.getMessage());
        }
    }
}
