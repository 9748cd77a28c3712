package io.jynamo.engine.serve;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.JynamoException;
import io.jynamo.api.kv.BlockHashes;
import io.jynamo.api.kv.KvEvent;
import io.jynamo.api.output.EngineOutput;
import io.jynamo.api.output.FinishReason;
import io.jynamo.api.request.OutputOptions;
import io.jynamo.api.request.PreprocessedRequest;
import io.jynamo.api.request.SamplingOptions;
import io.jynamo.api.request.StopConditions;
import io.jynamo.engine.EngineConfig;
import io.jynamo.api.engine.EngineMetrics;
import io.jynamo.api.engine.RequestStream;
import io.jynamo.engine.ModelLoader;
import io.jynamo.engine.Model;
import io.jynamo.engine.model.TestModels;
import io.jynamo.engine.GgmlType;
import io.jynamo.testkit.ModelFamily;
import io.jynamo.engine.serve.EngineHarness.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.jynamo.engine.serve.EngineHarness.assertFinished;
import static io.jynamo.engine.serve.EngineHarness.awaitMetrics;
import static io.jynamo.engine.serve.EngineHarness.drain;
import static io.jynamo.engine.serve.EngineHarness.request;
import static io.jynamo.engine.serve.EngineHarness.runAlone;
import static io.jynamo.engine.serve.EngineHarness.seeded;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine batches requests without changing what any of them produces: together, under KV
 * pressure (preemption), with a prefix cache hit, or with n &gt; 1, each sequence gets the tokens it
 * gets alone; cancellation, bad requests and a failed forward pass leave the engine serving.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JynamoEngineTest {
    static final int CONTEXT = 256;
    static Model model;

    @BeforeAll
    static void load() {
        model = ModelLoader.load(TestModels.gguf(ModelFamily.LLAMA3, GgmlType.Q8_0));
    }

    @AfterAll
    static void unload() {
        model.close();
    }

    static EngineConfig config(int maxBatchedTokens, int kvTokens) {
        return new EngineConfig(1, 16, maxBatchedTokens, 64, CONTEXT, 16, kvTokens, null);
    }

    static List<PreprocessedRequest> mixedRequests(int count, long seed) {
        Random random = new Random(seed);
        List<PreprocessedRequest> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] prompt = random.ints(3 + random.nextInt(38), 0, 29000).toArray();
            SamplingOptions sampling = i % 2 == 0 ? SamplingOptions.GREEDY : seeded(100 + i);
            list.add(request("r" + i, prompt, 6 + random.nextInt(10), sampling));
        }
        return list;
    }

    static List<Outcome> alone(List<PreprocessedRequest> requests) throws InterruptedException {
        List<Outcome> out = new ArrayList<>();
        try (JynamoEngine engine = new JynamoEngine(model, config(512, 0))) {
            for (PreprocessedRequest r : requests) {
                out.add(runAlone(engine, r));
            }
        }
        return out;
    }

    static List<Outcome> together(JynamoEngine engine, List<PreprocessedRequest> requests) throws InterruptedException {
        List<RequestStream> streams = new ArrayList<>();
        for (PreprocessedRequest r : requests) {
            streams.add(engine.submit(r));
        }
        List<Outcome> out = new ArrayList<>();
        for (RequestStream s : streams) {
            out.add(drain(s, 1)[0]);
        }
        return out;
    }

    static void assertSame(List<PreprocessedRequest> requests, List<Outcome> expected, List<Outcome> actual) {
        for (int i = 0; i < requests.size(); i++) {
            assertArrayEquals(expected.get(i).tokens(), actual.get(i).tokens(), "request " + i);
            assertFinished(actual.get(i), requests.get(i).stop().maxTokens());
        }
    }

    @Test
    void requestsBatchedTogetherGetWhatTheyGetAlone() throws InterruptedException {
        List<PreprocessedRequest> requests = mixedRequests(16, 1);
        List<Outcome> expected = alone(requests);
        // A small token budget forces chunked prefill mixed with decodes.
        try (JynamoEngine engine = new JynamoEngine(model, config(24, 0))) {
            assertSame(requests, expected, together(engine, requests));
            EngineMetrics m = awaitMetrics(engine, x -> x.running() == 0 && x.kvBlocksUsed() == 0);
            assertEquals(expected.stream().mapToInt(o -> o.tokens().length).sum(), m.tokensGenerated());
            assertTrue(m.steps() < m.tokensGenerated(), "sequences must share steps: " + m);
        }
    }

    /** 28..35 prompt tokens (2 blocks) + 16 new ones: every sequence needs a third block while decoding. */
    static List<PreprocessedRequest> pressureRequests() {
        Random random = new Random(2);
        List<PreprocessedRequest> requests = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int[] prompt = random.ints(28 + i, 0, 29000).toArray();
            requests.add(request("p" + i, prompt, 16, i % 2 == 0 ? SamplingOptions.GREEDY : seeded(i)));
        }
        return requests;
    }

    @Test
    void kvPressurePreemptsWithoutChangingOutputs() throws InterruptedException {
        List<PreprocessedRequest> requests = pressureRequests();
        List<Outcome> expected = alone(requests);
        // 8 blocks of 16 tokens: room for about two sequences at a time.
        try (JynamoEngine engine = new JynamoEngine(model, config(64, 128))) {
            assertSame(requests, expected, together(engine, requests));
            EngineMetrics m = awaitMetrics(engine, x -> x.running() == 0 && x.kvBlocksUsed() == 0);
            assertTrue(m.preemptions() > 0, "the pool is too small to run all without preemption: " + m);
        }
    }

    @Test
    void cancellingSomeUnderPressureLeavesTheOthersIntact() throws InterruptedException {
        List<PreprocessedRequest> requests = pressureRequests();
        List<Outcome> expected = alone(requests);
        try (JynamoEngine engine = new JynamoEngine(model, config(64, 128))) {
            List<RequestStream> streams = new ArrayList<>();
            for (PreprocessedRequest r : requests) {
                streams.add(engine.submit(r));
            }
            for (int i = 1; i < streams.size(); i += 2) {
                engine.cancel(requests.get(i).requestId());
            }
            for (int i = 0; i < streams.size(); i++) {
                Outcome o = drain(streams.get(i), 1)[0];
                EngineOutput.Finished f = (EngineOutput.Finished) o.terminal();
                if (i % 2 == 0) {
                    assertArrayEquals(expected.get(i).tokens(), o.tokens(), "request " + i);
                    assertEquals(FinishReason.LENGTH, f.reason());
                } else {
                    assertEquals(FinishReason.CANCELLED, f.reason(), "request " + i);
                    assertEquals(o.tokens().length, f.completionTokens());
                }
            }
            awaitMetrics(engine, x -> x.running() == 0 && x.waiting() == 0 && x.kvBlocksUsed() == 0);
        }
    }

    @Test
    void sharedPrefixReusesBlocks() throws InterruptedException {
        int[] first = new Random(3).ints(40, 0, 29000).toArray();
        int[] second = new int[37];
        System.arraycopy(first, 0, second, 0, 32);
        for (int i = 32; i < second.length; i++) {
            second[i] = 7 + i;
        }
        PreprocessedRequest b = request("b", second, 8, SamplingOptions.GREEDY);
        Outcome expected = alone(List.of(b)).getFirst();
        List<KvEvent.Envelope> events = new CopyOnWriteArrayList<>();
        try (JynamoEngine engine = new JynamoEngine(model, config(512, 0))) {
            engine.subscribeKvEvents(events::add);
            runAlone(engine, request("a", first, 4, SamplingOptions.GREEDY));
            RequestStream stream = engine.submit(b);
            Outcome got = drain(stream, 1)[0];
            assertArrayEquals(expected.tokens(), got.tokens());
            assertEquals(32, stream.cachedPromptTokens());
            EngineMetrics m = awaitMetrics(engine, x -> x.running() == 0);
            assertEquals(32, m.cachedPromptTokens());
            assertEquals(77, m.promptTokens());
        }
        // The two full blocks of the shared prefix are published once (b's third block never fills).
        long[] hashes = BlockHashes.sequenceHashes(first, 16);
        assertEquals(2, events.size(), "events: " + events);
        for (int i = 0; i < 2; i++) {
            KvEvent.Stored stored = assertInstanceOf(KvEvent.Stored.class, events.get(i).event());
            assertEquals(hashes[i], stored.blocks().getFirst().blockHash());
            assertEquals(i == 0 ? null : hashes[0], stored.parentHash());
        }
        for (int i = 1; i < events.size(); i++) {
            assertEquals(events.get(i - 1).eventId() + 1, events.get(i).eventId());
        }
    }

    @Test
    void nSequencesShareThePromptAndEachGetsItsOwnSamples() throws InterruptedException {
        int[] prompt = new Random(4).ints(35, 0, 29000).toArray();
        Outcome greedyAlone = alone(List.of(request("g", prompt, 6, SamplingOptions.GREEDY))).getFirst();
        try (JynamoEngine engine = new JynamoEngine(model, config(512, 0))) {
            PreprocessedRequest r = new PreprocessedRequest("n", "tiny", prompt, SamplingOptions.GREEDY,
                    StopConditions.maxTokens(6), new OutputOptions(true, 3), 3);
            Outcome[] outs = drain(engine.submit(r), 3);
            for (Outcome o : outs) {
                assertArrayEquals(greedyAlone.tokens(), o.tokens());
                assertEquals(6, o.logprobs(), "one logprob per token");
            }
            EngineMetrics m = awaitMetrics(engine, x -> x.running() == 0 && x.kvBlocksUsed() == 0);
            assertEquals(2 * 32, m.cachedPromptTokens(), "sequences 1 and 2 reuse the two full prompt blocks");
        }
    }

    @Test
    void stopTokenEndsTheSequenceAfterMinTokens() throws InterruptedException {
        int[] prompt = new Random(5).ints(10, 0, 29000).toArray();
        int[] free = alone(List.of(request("f", prompt, 12, SamplingOptions.GREEDY))).getFirst().tokens();
        int stopAt = 4;
        int stop = free[stopAt];
        int firstStop = 0;
        while (free[firstStop] != stop) {
            firstStop++;
        }
        try (JynamoEngine engine = new JynamoEngine(model, config(512, 0).withEos(stop))) {
            Outcome o = runAlone(engine, new PreprocessedRequest("s", "tiny", prompt, SamplingOptions.GREEDY,
                    new StopConditions(12, stopAt + 1, null, false), OutputOptions.NONE, 1));
            EngineOutput.Finished f = (EngineOutput.Finished) o.terminal();
            assertEquals(FinishReason.STOP, f.reason());
            assertEquals(Math.max(firstStop, stopAt) + 1, f.completionTokens());
            Outcome ignored = runAlone(engine, new PreprocessedRequest("i", "tiny", prompt, SamplingOptions.GREEDY,
                    new StopConditions(12, 0, null, true), OutputOptions.NONE, 1));
            assertArrayEquals(free, ignored.tokens(), "ignore_eos runs to max_tokens");
        }
    }

    @Test
    void cancelStopsARequestAndFreesItsBlocks() throws InterruptedException {
        try (JynamoEngine engine = new JynamoEngine(model, config(512, 0))) {
            RequestStream stream = engine.submit(request("c", new int[] {1, 2, 3}, 240, SamplingOptions.GREEDY));
            EngineOutput first = stream.take();
            assertInstanceOf(EngineOutput.Tokens.class, first);
            stream.cancel();
            Outcome rest = drain(stream, 1)[0];
            EngineOutput.Finished f = (EngineOutput.Finished) rest.terminal();
            assertEquals(FinishReason.CANCELLED, f.reason());
            assertTrue(f.completionTokens() < 240, "stopped early: " + f);
            awaitMetrics(engine, x -> x.running() == 0 && x.waiting() == 0 && x.kvBlocksUsed() == 0);
        }
    }

    @Test
    void badRequestsAreRefusedAndOthersStillServed() throws InterruptedException {
        try (JynamoEngine engine = new JynamoEngine(model, config(512, 0))) {
            int vocab = model.config().vocabSize();
            JynamoException outOfRange = assertThrows(JynamoException.class,
                    () -> engine.submit(request("x", new int[] {1, vocab}, 4, SamplingOptions.GREEDY)));
            assertEquals(ErrorCategory.BAD_REQUEST, outOfRange.category());
            JynamoException tooLong = assertThrows(JynamoException.class,
                    () -> engine.submit(request("y", new int[250], 16, SamplingOptions.GREEDY)));
            assertEquals(ErrorCategory.BAD_REQUEST, tooLong.category());
            assertTrue(tooLong.getMessage().contains("context length"), tooLong.getMessage());
            Outcome ok = runAlone(engine, request("z", new int[] {1, 2, 3}, 5, SamplingOptions.GREEDY));
            assertFinished(ok, 5);
        }
    }

    @Test
    void aFullWaitingQueueRefusesWithUnavailable() throws InterruptedException {
        EngineConfig small = new EngineConfig(1, 1, 512, 1, CONTEXT, 16, 0, null);
        try (JynamoEngine engine = new JynamoEngine(model, small)) {
            // Hold the step thread inside its first KV event, so nothing leaves the inbox meanwhile:
            // the test then does not depend on how fast the engine runs.
            java.util.concurrent.CountDownLatch inEvent = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
            engine.subscribeKvEvents(e -> {
                if (first.getAndSet(false)) {
                    inEvent.countDown();
                    try {
                        release.await(60, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            int[] prompt = new int[20];
            java.util.Arrays.setAll(prompt, k -> 100 + k);
            List<RequestStream> accepted = new ArrayList<>();
            accepted.add(engine.submit(request("q0", prompt, 8, SamplingOptions.GREEDY)));
            assertTrue(inEvent.await(60, java.util.concurrent.TimeUnit.SECONDS), "the first block is committed");
            accepted.add(engine.submit(request("q1", new int[] {1, 2, 3}, 8, SamplingOptions.GREEDY)));
            JynamoException refused = org.junit.jupiter.api.Assertions.assertThrows(JynamoException.class,
                    () -> engine.submit(request("q2", new int[] {1, 2, 3}, 8, SamplingOptions.GREEDY)),
                    "a waiting queue of one is full");
            assertEquals(ErrorCategory.UNAVAILABLE, refused.category());
            release.countDown();
            for (RequestStream s : accepted) {
                drain(s, 1);
            }
            awaitMetrics(engine, x -> x.running() == 0 && x.waiting() == 0 && x.kvBlocksUsed() == 0);
        }
    }


    @Test
    void warmUpLeavesNoTrace() throws InterruptedException {
        List<KvEvent.Envelope> events = new CopyOnWriteArrayList<>();
        try (JynamoEngine engine = new JynamoEngine(model, config(512, 0))) {
            engine.subscribeKvEvents(events::add);
            engine.warmUp(200_000_000L);
            EngineMetrics m = awaitMetrics(engine, x -> x.running() == 0 && x.waiting() == 0);
            assertTrue(m.steps() > 0, "warm-up ran steps: " + m);
            assertEquals(0, m.kvBlocksUsed());
            assertEquals(0, m.kvBlocksCached());
        }
        assertEquals(List.of(), events);
    }

    /** A prompt holding this id makes the injected forward pass throw. */
    static final int POISON = 28_999;

    private static ForwardPass poisoned(ForwardPass real) {
        return (plan, logits) -> {
            for (int i = 0; i < plan.batchSize(); i++) {
                if (plan.token(i) == POISON) {
                    throw new IllegalStateException("injected failure");
                }
            }
            real.run(plan, logits);
        };
    }

    @Test
    void aFailedStepFailsItsSequencesFreesTheirBlocksAndTheEngineServesOn() throws InterruptedException {
        int[] healthy = {11, 22, 33, 44, 55, 66, 77, 88, 99, 111, 222, 333, 444, 555, 666, 777, 888, 999};
        int[] expected;
        try (JynamoEngine plain = new JynamoEngine(model, config(512, 0))) {
            expected = drain(plain.submit(request("ref", healthy, 8, SamplingOptions.GREEDY)), 1)[0].tokens();
        }
        try (JynamoEngine engine = new JynamoEngine(model, config(512, 0), JynamoEngineTest::poisoned)) {
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
