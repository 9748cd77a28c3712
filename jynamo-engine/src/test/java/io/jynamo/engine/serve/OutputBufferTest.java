package io.jynamo.engine.serve;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.output.EngineOutput;
import io.jynamo.api.output.FinishReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stream gathers untaken tokens into one item per sequence and ends each sequence exactly once. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class OutputBufferTest {
    @Test
    void untakenTokensGatherAndTheTerminalItemComesLast() throws InterruptedException {
        List<String> cancelled = new ArrayList<>();
        OutputBuffer b = new OutputBuffer("r", 2, 200, true, cancelled::add);
        for (int i = 0; i < 100; i++) {
            b.token(0, i, -i, null);
        }
        b.token(1, 7, -1f, null);
        b.end(new EngineOutput.Finished(0, FinishReason.LENGTH, 3, 100));
        b.end(new EngineOutput.Finished(0, FinishReason.STOP, 3, 100));  // ignored: one terminal per sequence
        EngineOutput.Tokens t = assertInstanceOf(EngineOutput.Tokens.class, b.take());
        assertEquals(0, t.index());
        assertEquals(100, t.tokenIds().length);
        assertEquals(-99f, t.logprobs()[99]);
        EngineOutput.Finished f = assertInstanceOf(EngineOutput.Finished.class, b.take());
        assertEquals(FinishReason.LENGTH, f.reason());
        assertArrayEquals(new int[] {7}, ((EngineOutput.Tokens) b.take()).tokenIds());
        assertNull(b.poll(10, TimeUnit.MILLISECONDS), "sequence 1 has not ended");
        assertFalse(b.isDone());
        b.end(new EngineOutput.Failed(1, ErrorCategory.INTERNAL, "boom"));
        assertInstanceOf(EngineOutput.Failed.class, b.take());
        assertTrue(b.isDone());
        assertNull(b.take(), "an ended stream returns null at once");
        b.cancel();
        assertEquals(List.of("r"), cancelled);
    }

    @Test
    void aWaitingReaderWakesOnTheNextToken() throws InterruptedException {
        OutputBuffer b = new OutputBuffer("r", 1, 4, false, id -> {});
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            b.token(0, 5, 0f, null);
        });
        EngineOutput.Tokens t = assertInstanceOf(EngineOutput.Tokens.class, b.take());
        assertArrayEquals(new int[] {5}, t.tokenIds());
        assertNull(t.logprobs());
        writer.join();
    }
}
