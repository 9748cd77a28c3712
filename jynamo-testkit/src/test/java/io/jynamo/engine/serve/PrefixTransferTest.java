package io.jynamo.engine.serve;

import io.jynamo.api.engine.EngineMetrics;
import io.jynamo.api.engine.RequestStream;
import io.jynamo.api.kv.BlockHashes;
import io.jynamo.api.kv.KvEvent;
import io.jynamo.api.output.EngineOutput;
import io.jynamo.api.request.OutputOptions;
import io.jynamo.api.request.PreprocessedRequest;
import io.jynamo.api.request.SamplingOptions;
import io.jynamo.api.request.StopConditions;
import io.jynamo.engine.EngineConfig;
import io.jynamo.engine.EngineException;
import io.jynamo.engine.Engines;
import io.jynamo.engine.KvBlocks;
import io.jynamo.engine.Model;
import io.jynamo.engine.ModelLoader;
import io.jynamo.engine.ServingEngine;
import io.jynamo.engine.model.TestModels;
import io.jynamo.engine.GgmlType;
import io.jynamo.testkit.ModelFamily;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.jynamo.engine.serve.EngineHarness.awaitMetrics;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * KV blocks move between engines by sequence hash: a prompt's full blocks exported from the engine
 * that computed them and imported into a fresh one serve that prompt there as a prefix cache hit,
 * with the greedy tokens and logprobs the first engine produced; imported bytes that are wrong change
 * the answer, so the second engine really reads them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PrefixTransferTest {
    static final int BLOCK = 16;
    /** Two full blocks and a partial tail. */
    static final int[] PROMPT = new Random(7).ints(2 * BLOCK + 9, 0, 29000).toArray();
    static Model model;

    @BeforeAll
    static void load() {
        model = ModelLoader.load(TestModels.gguf(ModelFamily.LLAMA3, GgmlType.Q8_0));
    }

    @AfterAll
    static void unload() {
        model.close();
    }

    static ServingEngine engine() {
        return Engines.start(model, new EngineConfig(1, 4, 512, 16, 256, BLOCK, 0, null));
    }

    /** What one greedy request produced: its tokens, their logprobs, and the prompt tokens it found cached. */
    record Answer(int[] tokens, float[] logprobs, int cached) {}

    static Answer ask(ServingEngine engine, String id) throws InterruptedException {
        RequestStream stream = engine.submit(new PreprocessedRequest(id, "tiny", PROMPT, SamplingOptions.GREEDY,
                StopConditions.maxTokens(8), new OutputOptions(true, 0), 1));
        List<Integer> tokens = new ArrayList<>();
        List<Float> logprobs = new ArrayList<>();
        EngineOutput out;
        while ((out = stream.take()) != null) {
            if (out instanceof EngineOutput.Tokens t) {
                for (int i = 0; i < t.tokenIds().length; i++) {
                    tokens.add(t.tokenIds()[i]);
                    logprobs.add(t.logprobs()[i]);
                }
            } else {
                assertInstanceOf(EngineOutput.Finished.class, out);
            }
        }
        float[] lp = new float[logprobs.size()];
        for (int i = 0; i < lp.length; i++) {
            lp[i] = logprobs.get(i);
        }
        return new Answer(tokens.stream().mapToInt(Integer::intValue).toArray(), lp, stream.cachedPromptTokens());
    }

    @Test
    void importedBlocksServeThePromptInAnotherEngineWithTheSameTokens() throws InterruptedException {
        Answer expected;
        KvBlocks exported;
        try (ServingEngine a = engine()) {
            expected = ask(a, "a");
            assertEquals(0, expected.cached());
            exported = a.exportPrefix(PROMPT);
        }
        long[] hashes = BlockHashes.sequenceHashes(PROMPT, BLOCK);
        assertEquals(2, exported.count(), "both full blocks of the prompt are cached in the engine that computed them");
        assertArrayEquals(hashes, exported.sequenceHashes());

        List<KvEvent.Envelope> events = new CopyOnWriteArrayList<>();
        try (ServingEngine b = engine()) {
            b.subscribeKvEvents(events::add);
            assertEquals(2, b.importPrefix(exported));
            assertEquals(2, b.metrics().kvBlocksCached(), "imported blocks sit in the prefix cache");
            Answer got = ask(b, "b");
            assertArrayEquals(expected.tokens(), got.tokens());
            assertArrayEquals(expected.logprobs(), got.logprobs());
            assertEquals(2 * BLOCK, got.cached(), "the imported blocks are the prompt's cached tokens");
            EngineMetrics m = awaitMetrics(b, x -> x.running() == 0);
            assertEquals(2 * BLOCK, m.cachedPromptTokens());
        }
        // The import publishes what a commit publishes; generation then commits nothing new for the prompt.
        for (int i = 0; i < 2; i++) {
            KvEvent.Stored stored = assertInstanceOf(KvEvent.Stored.class, events.get(i).event());
            assertEquals(hashes[i], stored.blocks().getFirst().blockHash());
            if (i == 0) {
                assertNull(stored.parentHash());
            } else {
                assertEquals(hashes[0], stored.parentHash());
            }
        }
    }

    @Test
    void importedBytesAreWhatTheEngineReads() throws InterruptedException {
        Answer expected;
        KvBlocks exported;
        try (ServingEngine a = engine()) {
            expected = ask(a, "a");
            exported = a.exportPrefix(PROMPT);
        }
        KvBlocks zeros = new KvBlocks(exported.blockSizeTokens(), exported.bytesPerBlock(), exported.sequenceHashes(),
                exported.tokensHashes(), Arena.ofAuto().allocate(exported.data().byteSize()));
        try (ServingEngine c = engine()) {
            assertEquals(2, c.importPrefix(zeros));
            Answer got = ask(c, "c");
            assertEquals(2 * BLOCK, got.cached());
            assertFalse(Arrays.equals(expected.logprobs(), got.logprobs()),
                    "zeroed KV blocks must change the answer: " + Arrays.toString(got.logprobs()));
        }
    }

    @Test
    void blocksOfAnotherGeometryAreRefusedAndAClosedEngineRefusesTransfers() {
        KvBlocks other = new KvBlocks(8, 64, new long[0], new long[0], Arena.ofAuto().allocate(0));
        ServingEngine d = engine();
        try (d) {
            EngineException e = assertThrows(EngineException.class, () -> d.importPrefix(other));
            assertEquals(io.jynamo.api.ErrorCategory.BAD_REQUEST, e.category());
            assertEquals(0, d.exportPrefix(PROMPT).count(), "nothing is cached before anything ran");
        }
        EngineException closed = assertThrows(EngineException.class, () -> d.exportPrefix(PROMPT));
        assertEquals(io.jynamo.api.ErrorCategory.UNAVAILABLE, closed.category());
    }
}
