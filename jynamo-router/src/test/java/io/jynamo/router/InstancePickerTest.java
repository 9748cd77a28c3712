package io.jynamo.router;

import io.jynamo.runtime.RuntimeFailure;
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
    @Test
    void roundRobinGivesEveryInstanceItsTurn() {
        InstancePicker p = InstancePicker.of(RouterMode.ROUND_ROBIN, null);
        List<String> three = List.of("a", "b", "c");
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            counts.merge(p.pick(three), 1, Integer::sum);
        }
        assertEquals(Map.of("a", 100, "b", 100, "c", 100), counts);
        assertEquals("x", p.pick(List.of("x")));
    }

    @Test
    void randomWithASeedIsRepeatableAndSpreads() {
        List<Integer> ten = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        InstancePicker a = InstancePicker.of(RouterMode.RANDOM, new Random(5));
        InstancePicker b = InstancePicker.of(RouterMode.RANDOM, new Random(5));
        int[] counts = new int[10];
        for (int i = 0; i < 1000; i++) {
            int x = a.pick(ten);
            assertEquals(x, (int) b.pick(ten), "seed 5, pick " + i);
            counts[x]++;
        }
        for (int c : counts) {
            assertTrue(c > 50, "every instance is picked: " + java.util.Arrays.toString(counts));
        }
    }

    @Test
    void modesParseByTheirFlagNames() {
        assertEquals(RouterMode.ROUND_ROBIN, RouterMode.parse("round-robin"));
        assertEquals(RouterMode.RANDOM, RouterMode.parse("RANDOM"));
        assertTrue(assertThrows(RuntimeFailure.class, () -> RouterMode.parse("kv")).getMessage().contains("round-robin"));
    }
}
