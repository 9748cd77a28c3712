package io.jynamo.engine.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jynamo.api.ErrorCategory;
import io.jynamo.engine.EngineException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KvCacheConfigTest {
    @Test
    void bytesPerBlockCountsKeysAndValuesOfEveryLayerInF16() {
        // Llama 3.2 1B: 16 layers, 8 KV heads of 64 dims, 16-token blocks: 2 * 16 * 16 * 8 * 64 * 2 bytes
        KvCacheConfig c = new KvCacheConfig(16, 8, 64, 16, 10);
        assertEquals(524_288L, c.bytesPerBlock());
        assertEquals(5_242_880L, c.totalBytes());
        assertEquals(16L * 64 * 2, c.bytesPerHeadBlock());
    }

    @Test
    void blocksForBudgetRoundsDown() {
        assertEquals(3, KvCacheConfig.blocksForBudget(3 * 524_288L + 524_287L, 16, 8, 64, 16));
        assertEquals(1, KvCacheConfig.blocksForBudget(524_288L, 16, 8, 64, 16));
        assertEquals(0, KvCacheConfig.blocksForBudget(524_287L, 16, 8, 64, 16));
        assertEquals(0, KvCacheConfig.blocksForBudget(-5, 16, 8, 64, 16));
        assertEquals(Integer.MAX_VALUE, KvCacheConfig.blocksForBudget(Long.MAX_VALUE, 1, 1, 1, 1));
    }

    @Test
    void rejectsNonPositiveValuesNamingTheField() {
        EngineException e = assertThrows(EngineException.class, () -> new KvCacheConfig(16, 0, 64, 16, 10));
        assertEquals(ErrorCategory.BAD_REQUEST, e.category());
        assertTrue(e.getMessage().contains("kvHeads"), e.getMessage());
        assertThrows(EngineException.class, () -> new KvCacheConfig(0, 8, 64, 16, 10));
        assertThrows(EngineException.class, () -> new KvCacheConfig(16, 8, -64, 16, 10));
        assertThrows(EngineException.class, () -> new KvCacheConfig(16, 8, 64, 0, 10));
        EngineException blocks = assertThrows(EngineException.class, () -> new KvCacheConfig(16, 8, 64, 16, 0));
        assertTrue(blocks.getMessage().contains("numBlocks"), blocks.getMessage());
        assertThrows(EngineException.class, () -> KvCacheConfig.blocksForBudget(1000, 16, 8, 64, 0));
    }

    @Test
    void rejectsATotalThatOverflows() {
        EngineException e = assertThrows(EngineException.class,
                () -> new KvCacheConfig(Integer.MAX_VALUE, Integer.MAX_VALUE, 1024, 1024, Integer.MAX_VALUE));
        assertEquals(ErrorCategory.BAD_REQUEST, e.category());
        assertThrows(EngineException.class, () -> new KvCacheConfig(1 << 20, 1 << 10, 256, 1 << 10, 1 << 20));
    }
}
