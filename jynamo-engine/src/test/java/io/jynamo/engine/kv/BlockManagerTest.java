package io.jynamo.engine.kv;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.kv.KvEvent;
import io.jynamo.engine.EngineException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reference counts, prefix reuse, LRU eviction and KV events of the block manager. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlockManagerTest {
    private final List<KvEvent.Envelope> events = new ArrayList<>();
    private KvCache cache;

    private BlockManager manager(int blocks) {
        cache = new KvCache(new KvCacheConfig(1, 1, 8, 4, blocks));
        return new BlockManager(cache, 0, events::add);
    }

    @AfterEach
    void close() {
        if (cache != null) {
            cache.close();
        }
    }

    @Test
    void aCommittedPrefixIsFoundAgainAndShared() {
        BlockManager m = manager(4);
        int a = m.allocate();
        int b = m.allocate();
        assertTrue(m.commit(a, 11, 101, null));
        assertTrue(m.commit(b, 12, 102, 11L));
        assertArrayEquals(new int[] {a, b}, m.acquirePrefix(new long[] {11, 12, 13}));
        assertArrayEquals(new int[] {}, m.acquirePrefix(new long[] {13, 12}), "the match stops at the first miss");
        assertEquals(List.of(new KvEvent.Stored(null, List.of(new KvEvent.Block(11, 101))),
                new KvEvent.Stored(11L, List.of(new KvEvent.Block(12, 102)))), events.stream().map(KvEvent.Envelope::event).toList());
    }

    @Test
    void unreferencedCachedBlocksAreEvictedOldestFirst() {
        BlockManager m = manager(3);
        int a = m.allocate();
        int b = m.allocate();
        int c = m.allocate();
        m.commit(a, 1, 1, null);
        m.commit(b, 2, 2, null);
        m.release(b);
        m.release(a);
        m.release(c);
        // c was never cached: freed at once, handed out first.
        assertEquals(c, m.allocate());
        assertEquals(b, m.allocate(), "b was released before a: the least recently used");
        assertEquals(new KvEvent.Removed(List.of(2L)), events.getLast().event());
        assertEquals(a, m.allocate());
        EngineException full = assertThrows(EngineException.class, m::allocate);
        assertEquals(ErrorCategory.UNAVAILABLE, full.category());
    }

    @Test
    void aCachedBlockInUseIsNotEvictedAndADuplicateHashStaysPrivate() {
        BlockManager m = manager(2);
        int a = m.allocate();
        m.commit(a, 7, 7, null);
        int b = m.allocate();
        assertFalse(m.commit(b, 7, 7, null), "the hash is taken by a");
        m.release(b);
        assertEquals(b, m.allocate(), "b was private, so it was freed");
        assertThrows(EngineException.class, m::allocate, "a is in use and must not be evicted");
    }

    /**
     * Random operations; after every one, the blocks the events say are cached are exactly the
     * manager's cached blocks, event ids rise by one, and every block is free, evictable or held.
     */
    @Test
    void eventsAlwaysDescribeTheCache() {
        long seed = 20261129;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int run = 0; run < 50; run++) {
            events.clear();
            BlockManager m = manager(1 + rnd.nextInt(12));
            List<Integer> held = new ArrayList<>();
            Set<Long> fromEvents = new HashSet<>();
            long lastId = 0;
            for (int step = 0; step < 400; step++) {
                String what = "seed " + seed + ", run " + run + ", step " + step;
                int op = rnd.nextInt(10);
                try {
                    if (op < 3) {
                        held.add(m.allocate());
                    } else if (op < 5 && !held.isEmpty()) {
                        int b = held.get(rnd.nextInt(held.size()));
                        long h = rnd.nextInt(20);
                        m.commit(b, h, h * 31, rnd.nextBoolean() ? null : (long) rnd.nextInt(20));
                    } else if (op < 6) {
                        long[] hashes = new long[1 + rnd.nextInt(3)];
                        for (int i = 0; i < hashes.length; i++) {
                            hashes[i] = rnd.nextInt(20);
                        }
                        for (int b : m.acquirePrefix(hashes)) {
                            held.add(b);
                        }
                    } else if (op < 9 && !held.isEmpty()) {
                        m.release(held.remove(rnd.nextInt(held.size())));
                    } else if (rnd.nextInt(20) == 0) {
                        m.clear();
                    }
                } catch (EngineException e) {
                    assertEquals(ErrorCategory.UNAVAILABLE, e.category(), what + ": " + e.getMessage());
                }
                for (; lastId < events.size(); lastId++) {
                    KvEvent.Envelope env = events.get((int) lastId);
                    assertEquals(lastId + 1, env.eventId(), what + ": event ids rise by one");
                    switch (env.event()) {
                        case KvEvent.Stored s -> s.blocks().forEach(bl -> assertTrue(fromEvents.add(bl.blockHash()), what));
                        case KvEvent.Removed r -> r.blockHashes().forEach(h -> assertTrue(fromEvents.remove(h), what));
                        case KvEvent.Cleared c -> fromEvents.clear();
                    }
                }
                assertEquals(fromEvents, new HashSet<>(m.cachedHashes()), what + ": stored minus removed = cached");
                Map<Integer, Integer> refs = new HashMap<>();
                held.forEach(b -> refs.merge(b, 1, Integer::sum));
                assertEquals(cache.config().numBlocks(), m.availableBlocks() + refs.size(),
                        what + ": every block is free, evictable or held");
            }
        }
    }
}
