package io.jynamo.engine.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jynamo.api.ErrorCategory;
import io.jynamo.engine.EngineException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KvCacheTest {
    @Test
    void handsOutEveryBlockOnceThenReportsFull() {
        try (KvCache cache = new KvCache(new KvCacheConfig(2, 2, 8, 16, 4))) {
            boolean[] seen = new boolean[4];
            for (int i = 0; i < 4; i++) {
                int b = cache.allocateBlock();
                assertTrue(!seen[b], "block " + b + " handed out twice");
                seen[b] = true;
            }
            assertEquals(0, cache.freeBlocks());
            EngineException e = assertThrows(EngineException.class, cache::allocateBlock);
            assertEquals(ErrorCategory.UNAVAILABLE, e.category());
            assertEquals("KV cache is full: 4 blocks of 16 tokens in use", e.getMessage());
            cache.freeBlock(2);
            assertEquals(2, cache.allocateBlock());
        }
    }

    @Test
    void freeingAnUnknownOrFreeBlockIsAnInternalError() {
        try (KvCache cache = new KvCache(new KvCacheConfig(1, 1, 8, 4, 3))) {
            assertEquals(ErrorCategory.INTERNAL, assertThrows(EngineException.class, () -> cache.freeBlock(3)).category());
            assertEquals(ErrorCategory.INTERNAL, assertThrows(EngineException.class, () -> cache.freeBlock(-1)).category());
            int b = cache.allocateBlock();
            cache.freeBlock(b);
            EngineException e = assertThrows(EngineException.class, () -> cache.freeBlock(b));
            assertEquals(ErrorCategory.INTERNAL, e.category());
            assertTrue(e.getMessage().contains("twice"), e.getMessage());
            assertEquals(3, cache.freeBlocks());
        }
    }

    @Test
    void ensureCapacityIsAllOrNothing() {
        try (KvCache cache = new KvCache(new KvCacheConfig(1, 1, 8, 16, 4))) {
            BlockTable a = new BlockTable();
            a.ensureCapacity(cache, 33);  // 3 blocks
            assertEquals(3, a.blockCount());
            a.ensureCapacity(cache, 48);  // still 3
            assertEquals(3, a.blockCount());
            BlockTable b = new BlockTable();
            EngineException e = assertThrows(EngineException.class, () -> b.ensureCapacity(cache, 17));
            assertEquals(ErrorCategory.UNAVAILABLE, e.category());
            assertEquals(0, b.blockCount());
            assertEquals(1, cache.freeBlocks());
            a.release(cache);
            assertEquals(0, a.blockCount());
            assertEquals(4, cache.freeBlocks());
            b.ensureCapacity(cache, 64);
            assertEquals(4, b.blockCount());
        }
    }

    @Test
    void storeRoundsToNearestF16TiesToEven() {
        try (KvCache cache = new KvCache(new KvCacheConfig(1, 1, 4, 2, 1))) {
            BlockTable t = new BlockTable();
            t.ensureCapacity(cache, 1);
            float ulp = 0x1p-10f;  // f16 spacing in [1, 2)
            float[] k = {1 + ulp / 2, 1 + 3 * ulp / 2, 70000f, 1e-8f};
            float[] v = {-(1 + ulp / 2), 1 + ulp / 2 + 0x1p-20f, -70000f, 0x1p-24f};
            cache.store(0, t, 0, k, 0, v, 0);
            float[] kk = new float[4];
            float[] vv = new float[4];
            cache.loadKeys(0, t, 0, kk, 0);
            cache.loadValues(0, t, 0, vv, 0);
            assertArrayEquals(new float[] {1f, 1 + 2 * ulp, Float.POSITIVE_INFINITY, 0f}, kk);
            assertArrayEquals(new float[] {-1f, 1 + ulp, Float.NEGATIVE_INFINITY, 0x1p-24f}, vv);
        }
    }

    @Test
    void storedTokensReadBackWithoutClobberingEachOther() {
        long seed = 7;
        Random r = new Random(seed);
        int layers = 3, kvHeads = 2, headDim = 24, blockSize = 5, tokens = 37;
        try (KvCache cache = new KvCache(new KvCacheConfig(layers, kvHeads, headDim, blockSize, 20))) {
            cache.allocateBlock();  // so the sequence's blocks do not start at 0
            BlockTable t = new BlockTable();
            t.ensureCapacity(cache, tokens);
            int width = kvHeads * headDim;
            float[][][] k = new float[layers][tokens][width];
            float[][][] v = new float[layers][tokens][width];
            for (int l = 0; l < layers; l++) {
                for (int p = 0; p < tokens; p++) {
                    for (int i = 0; i < width; i++) {
                        k[l][p][i] = (float) r.nextGaussian();
                        v[l][p][i] = (float) r.nextGaussian();
                    }
                    cache.store(l, t, p, k[l][p], 0, v[l][p], 0);
                }
            }
            float[] got = new float[width + 3];
            for (int l = 0; l < layers; l++) {
                for (int p = 0; p < tokens; p++) {
                    cache.loadKeys(l, t, p, got, 3);
                    for (int i = 0; i < width; i++) {
                        assertEquals(f16(k[l][p][i]), got[3 + i], "K layer " + l + " pos " + p + " i " + i);
                    }
                    cache.loadValues(l, t, p, got, 3);
                    for (int i = 0; i < width; i++) {
                        assertEquals(f16(v[l][p][i]), got[3 + i], "V layer " + l + " pos " + p + " i " + i);
                    }
                }
            }
        }
    }

    @Test
    void everyHeadRunOfABlockLiesInsideThatBlock() {
        KvCacheConfig c = new KvCacheConfig(3, 4, 16, 8, 5);
        try (KvCache cache = new KvCache(c)) {
            long run = c.bytesPerHeadBlock();
            boolean[] covered = new boolean[(int) (c.bytesPerBlock() / run)];
            for (int l = 0; l < 3; l++) {
                for (int h = 0; h < 4; h++) {
                    for (long off : new long[] {cache.keyOffset(2, l, h), cache.valueOffset(2, l, h)}) {
                        long inBlock = off - 2 * c.bytesPerBlock();
                        assertTrue(inBlock >= 0 && inBlock + run <= c.bytesPerBlock());
                        assertEquals(0, inBlock % run);
                        assertTrue(!covered[(int) (inBlock / run)], "two runs overlap");
                        covered[(int) (inBlock / run)] = true;
                    }
                }
            }
            assertEquals(c.totalBytes(), cache.memory().byteSize());
        }
    }

    @Test
    void storeOutsideTheTableOrLayersIsAnInternalError() {
        try (KvCache cache = new KvCache(new KvCacheConfig(2, 1, 4, 4, 4))) {
            BlockTable t = new BlockTable();
            t.ensureCapacity(cache, 5);
            float[] x = new float[4];
            assertEquals(ErrorCategory.INTERNAL,
                    assertThrows(EngineException.class, () -> cache.store(0, t, 8, x, 0, x, 0)).category());
            assertEquals(ErrorCategory.INTERNAL,
                    assertThrows(EngineException.class, () -> cache.store(2, t, 0, x, 0, x, 0)).category());
            assertEquals(ErrorCategory.INTERNAL,
                    assertThrows(EngineException.class, () -> cache.store(0, t, -1, x, 0, x, 0)).category());
            cache.store(1, t, 7, x, 0, x, 0);
        }
    }

    private static float f16(float x) {
        return Float.float16ToFloat(Float.floatToFloat16(x));
    }
}
