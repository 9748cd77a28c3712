package io.jynamo.router;

import io.jynamo.api.JynamoException;
import io.jynamo.api.request.PreprocessedRequest;
import io.jynamo.engine.EchoEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class InstancePickerTest {
    private static final EchoEngine ENGINE = new EchoEngine(0, 64, 1, 1);
    private static final RoutingRequest REQUEST = new RoutingRequest(
            new PreprocessedRequest("r", "m", new int[] {1, 2, 3}, null, null, null, 1), 16);

    private static List<Candidate> candidates(int n) {
        List<Candidate> list = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new Candidate(i, ENGINE));
        }
        return list;
    }
    @Test
    void roundRobinGivesEveryInstanceItsTurn() {
        InstancePicker p = InstancePicker.of(RouterMode.ROUND_ROBIN, null);
        List<Candidate> three = candidates(3);
        Map<Long, Integer> counts = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            counts.merge(p.pick(REQUEST, three).instanceId(), 1, Integer::sum);
        }
        assertEquals(Map.of(0L, 100, 1L, 100, 2L, 100), counts);
        List<Candidate> one = candidates(1);
        assertEquals(one.getFirst(), p.pick(REQUEST, one));
    }

    @Test
    void randomWithASeedIsRepeatableAndSpreads() {
        List<Candidate> ten = candidates(10);
        InstancePicker a = InstancePicker.of(RouterMode.RANDOM, new Random(5));
        InstancePicker b = InstancePicker.of(RouterMode.RANDOM, new Random(5));
        int[] counts = new int[10];
        for (int i = 0; i < 1000; i++) {
            int x = (int) a.pick(REQUEST, ten).instanceId();
            assertEquals(x, (int) b.pick(REQUEST, ten).instanceId(), "seed 5, pick " + i);
            counts[x]++;
        }
        for (int c : counts) {
            assertTrue(c > 50, "every instance is picked: " + java.util.Arrays.toString(counts));
        }
    }

    @Test
    void blockHashesAreThoseOfTheEngineAndComputedOnce() {
        int[] tokens = new int[40];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = i + 1;
        }
        RoutingRequest r = new RoutingRequest(new PreprocessedRequest("h", "m", tokens, null, null, null, 1), 16);
        long[] hashes = r.sequenceHashes();
        assertEquals(2, hashes.length, "two full blocks of 16; the tail of 8 is not hashed");
        org.junit.jupiter.api.Assertions.assertArrayEquals(
                io.jynamo.api.kv.BlockHashes.sequenceHashes(java.util.Arrays.copyOf(tokens, 32), 16), hashes);
        org.junit.jupiter.api.Assertions.assertSame(hashes, r.sequenceHashes());
    }

    @Test
    void modesParseByTheirFlagNames() {
        assertEquals(RouterMode.ROUND_ROBIN, RouterMode.parse("round-robin"));
        assertEquals(RouterMode.RANDOM, RouterMode.parse("RANDOM"));
        assertTrue(assertThrows(JynamoException.class, () -> RouterMode.parse("kv")).getMessage().contains("round-robin"));
    }
}
