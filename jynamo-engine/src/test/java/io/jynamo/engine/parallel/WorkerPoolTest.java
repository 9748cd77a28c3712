package io.jynamo.engine.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jynamo.engine.EngineException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkerPoolTest {

    @Test
    void everyIndexIsCoveredExactlyOnce() {
        for (int threads : new int[] {1, 2, 3, 5}) {
            try (WorkerPool pool = new WorkerPool(threads)) {
                assertEquals(threads, pool.threads());
                for (int n : new int[] {0, 1, 2, 7, 64, 100, 1000, 4097}) {
                    for (int grain : new int[] {0, 1, 3, 16, 5000}) {
                        AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(n, 1));
                        pool.parallelFor(n, grain, (from, to) -> {
                            assertTrue(from < to && from >= 0 && to <= n, "range [" + from + ", " + to + ")");
                            for (int i = from; i < to; i++) {
                                hits.incrementAndGet(i);
                            }
                        });
                        for (int i = 0; i < n; i++) {
                            assertEquals(1, hits.get(i), "threads=" + threads + " n=" + n + " grain=" + grain + " i=" + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void chunksAreAtLeastTheGrainExceptTheLast() {
        try (WorkerPool pool = new WorkerPool(2)) {
            Set<Integer> sizes = ConcurrentHashMap.newKeySet();
            pool.parallelFor(1000, 300, (from, to) -> {
                if (to != 1000) {
                    sizes.add(to - from);
                }
            });
            assertTrue(sizes.stream().allMatch(s -> s >= 300), sizes.toString());
        }
    }

    @Test
    void workIsSharedAmongThreads() {
        try (WorkerPool pool = new WorkerPool(2)) {
            Set<Thread> seen = ConcurrentHashMap.newKeySet();
            for (int round = 0; round < 200 && seen.size() < 2; round++) {
                pool.parallelFor(64, 1, (from, to) -> {
                    seen.add(Thread.currentThread());
                    long until = System.nanoTime() + 20_000;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                });
            }
            assertEquals(2, seen.size());
        }
    }

    @Test
    void exceptionsInTheBodyReachTheCaller() {
        try (WorkerPool pool = new WorkerPool(2)) {
            IllegalStateException boom = new IllegalStateException("boom");
            for (int i = 0; i < 50; i++) {
                int failAt = i % 10;
                IllegalStateException got = assertThrows(IllegalStateException.class,
                        () -> pool.parallelFor(10, 1, (from, to) -> {
                            if (from <= failAt && failAt < to) {
                                throw boom;
                            }
                        }));
                assertSame(boom, got);
            }
            EngineException wrapped = assertThrows(EngineException.class,
                    () -> pool.parallelFor(10, 1, (from, to) -> sneakyThrow(new Exception("checked"))));
            assertEquals("checked", wrapped.getCause().getMessage());
            AtomicLong sum = new AtomicLong();
            pool.parallelFor(100, 1, (from, to) -> sum.addAndGet(to - from));
            assertEquals(100, sum.get(), "the pool still works after failures");
        }
    }

    @Test
    void survivesTensOfThousandsOfCalls() {
        try (WorkerPool pool = new WorkerPool(2)) {
            long[] slots = new long[256];
            for (int call = 0; call < 10_000; call++) {
                pool.parallelFor(256, 8, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        slots[i]++;
                    }
                });
            }
            for (long s : slots) {
                assertEquals(10_000, s);
            }
        }
    }

    @Test
    void nestedCallsRunInline() {
        try (WorkerPool pool = new WorkerPool(2)) {
            AtomicLong total = new AtomicLong();
            pool.parallelFor(8, 1, (from, to) -> pool.parallelFor(100, 1, (a, b) -> total.addAndGet((long) (b - a) * (to - from))));
            assertEquals(800, total.get());
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(EngineException.class, () -> new WorkerPool(0));
        try (WorkerPool pool = new WorkerPool(2)) {
            assertThrows(EngineException.class, () -> pool.parallelFor(-1, 1, (a, b) -> {}));
            assertThrows(EngineException.class, () -> pool.parallelFor(10, 1, null));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }
}
