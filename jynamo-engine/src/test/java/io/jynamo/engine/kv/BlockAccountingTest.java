package io.jynamo.engine.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jynamo.api.ErrorCategory;
import io.jynamo.engine.EngineException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property test over seeded random sequences of reserve / release / raw allocate / raw free: after
 * every step free plus owned equals total and no block has two owners; a failed reserve changes
 * nothing. Each trial's seed is in the failure message.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlockAccountingTest {
    private static final int TABLES = 4;
    private static final int TRIALS = 400;

    @Test
    void blocksAreNeverLostOrShared() {
        for (long seed = 1; seed <= TRIALS; seed++) {
            try {
                trial(new Random(seed));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("trial with seed " + seed + " failed: " + e.getMessage(), e);
            }
        }
    }

    private static void trial(Random r) {
        int numBlocks = 1 + r.nextInt(40);
        int blockSize = 1 + r.nextInt(9);
        try (KvCache cache = new KvCache(new KvCacheConfig(1, 1, 2, blockSize, numBlocks))) {
            BlockTable[] tables = new BlockTable[TABLES];
            for (int i = 0; i < TABLES; i++) {
                tables[i] = new BlockTable();
            }
            List<Integer> loose = new ArrayList<>();  // blocks taken with allocateBlock directly
            for (int step = r.nextInt(80); step > 0; step--) {
                apply(cache, tables[r.nextInt(TABLES)], loose, r, blockSize);
                checkBooks(cache, tables, loose, numBlocks);
            }
            for (BlockTable t : tables) {
                t.release(cache);
            }
            loose.forEach(cache::freeBlock);
            assertEquals(numBlocks, cache.freeBlocks());
        }
    }

    private static void apply(KvCache cache, BlockTable t, List<Integer> loose, Random r, int blockSize) {
        switch (r.nextInt(5)) {
            case 0, 1 -> reserve(cache, t, r.nextInt(60), blockSize);
            case 2 -> t.release(cache);
            case 3 -> {
                if (!loose.isEmpty()) {
                    cache.freeBlock(loose.remove(r.nextInt(loose.size())));
                }
            }
            default -> {
                if (cache.freeBlocks() > 0) {
                    loose.add(cache.allocateBlock());
                } else {
                    try {
                        cache.allocateBlock();
                        throw new AssertionError("allocated from an empty pool");
                    } catch (EngineException e) {
                        assertEquals(ErrorCategory.UNAVAILABLE, e.category());
                    }
                }
            }
        }
    }

    private static void reserve(KvCache cache, BlockTable t, int tokens, int blockSize) {
        int before = t.blockCount();
        int free = cache.freeBlocks();
        int needed = Math.max(0, (tokens + blockSize - 1) / blockSize - before);
        try {
            t.ensureCapacity(cache, tokens);
            assertTrue(needed <= free, "reserved more blocks than were free");
            assertTrue(t.blockCount() * blockSize >= tokens);
            assertEquals(before + needed, t.blockCount(), "reserve took more blocks than needed");
        } catch (EngineException e) {
            assertEquals(ErrorCategory.UNAVAILABLE, e.category());
            assertTrue(needed > free, "reserve failed although enough blocks were free");
            assertEquals(before, t.blockCount(), "a failed reserve changed the table");
            assertEquals(free, cache.freeBlocks(), "a failed reserve took blocks");
        }
    }

    private static void checkBooks(KvCache cache, BlockTable[] tables, List<Integer> loose, int numBlocks) {
        boolean[] owned = new boolean[numBlocks];
        List<Integer> all = new ArrayList<>(loose);
        for (BlockTable t : tables) {
            for (int b : t.toArray()) {
                all.add(b);
            }
        }
        for (int b : all) {
            assertTrue(b >= 0 && b < numBlocks, "block id " + b + " out of range");
            assertTrue(!owned[b], "block " + b + " owned twice");
            owned[b] = true;
        }
        assertEquals(numBlocks, cache.freeBlocks() + all.size(), "free + owned != total");
        assertEquals(all.size(), cache.usedBlocks());
    }
}
