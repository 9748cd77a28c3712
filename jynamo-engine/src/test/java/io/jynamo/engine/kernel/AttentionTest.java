package io.jynamo.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jynamo.api.ErrorCategory;
import io.jynamo.engine.EngineException;
import io.jynamo.engine.kv.BlockTable;
import io.jynamo.engine.kv.KvCache;
import io.jynamo.engine.kv.KvCacheConfig;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AttentionTest {
    private static final int KV_HEADS = 2;
    private static final int[] BLOCK_SIZES = {1, 7, 16, 32};
    private static final int[] GROUP_SIZES = {1, 2, 4, 8};

    /** One random sequence: keys and values of every position, stored in a paged cache of a given block size. */
    private record Sequence(int headDim, int positions, float[] k, float[] v, float[] q) {
        static Sequence random(long seed, int headDim, int positions, int queryHeads) {
            Random r = new Random(seed);
            int width = KV_HEADS * headDim;
            return new Sequence(headDim, positions, KernelsTest.gaussian(r, positions * width, 1),
                    KernelsTest.gaussian(r, positions * width, 1), KernelsTest.gaussian(r, positions * queryHeads * headDim, 1));
        }

        KvCache cache(int blockSize, BlockTable table) {
            int blocks = (positions + blockSize - 1) / blockSize + 3;
            KvCache cache = new KvCache(new KvCacheConfig(2, KV_HEADS, headDim, blockSize, blocks));
            cache.allocateBlock();  // the sequence's blocks then start at 1, and are out of order below
            BlockTable other = new BlockTable();
            other.ensureCapacity(cache, blockSize);
            table.ensureCapacity(cache, positions);
            other.release(cache);
            int width = KV_HEADS * headDim;
            float[] junk = new float[width];
            for (int p = 0; p < positions; p++) {
                cache.store(0, table, p, junk, 0, junk, 0);
                cache.store(1, table, p, k, p * width, v, p * width);
            }
            return cache;
        }
    }

    @Test
    void pagedEqualsContiguousForEveryBlockSizeAndGroupSize() {
        int headDim = 64;
        int positions = 70;  // crosses block boundaries for every block size
        for (int group : GROUP_SIZES) {
            int heads = KV_HEADS * group;
            Sequence s = Sequence.random(group, headDim, positions, heads);
            float[] first = null;
            for (int blockSize : BLOCK_SIZES) {
                BlockTable table = new BlockTable();
                try (KvCache cache = s.cache(blockSize, table)) {
                    float[] got = runPaged(cache, table, s, heads, group);
                    float[] expected = runContiguous(s, heads, group);
                    assertClose(expected, got, "group " + group + " block " + blockSize);
                    if (first == null) {
                        first = got;
                    } else {
                        assertArrayEquals(first, got, "result depends on the block size: group " + group + " block " + blockSize);
                    }
                }
            }
        }
    }

    @Test
    void groupedHeadsGiveTheSameBitsAsHeadByHead() {
        for (int headDim : new int[] {8, 32, 40, 64, 72, 128, 256}) {
            for (int group : new int[] {1, 3, 4, 5, 8}) {
                int heads = KV_HEADS * group;
                Sequence s = Sequence.random(headDim * 100L + group, headDim, 40, heads);
                for (int blockSize : new int[] {7, 16}) {
                    BlockTable table = new BlockTable();
                    try (KvCache cache = s.cache(blockSize, table)) {
                        float[] single = runPaged(cache, table, s, heads, group);
                        float[] grouped = runGrouped(cache, table, s, heads, group);
                        String what = "headDim " + headDim + " group " + group + " block " + blockSize;
                        assertArrayEquals(single, grouped, what);
                        assertClose(runContiguous(s, heads, group), single, what);
                    }
                }
            }
        }
    }

    @Test
    void longSequenceOfALlamaShapedHeadStaysCloseToTheReference() {
        int headDim = 128;
        int positions = 600;
        int group = 4;
        Sequence s = Sequence.random(99, headDim, positions, KV_HEADS * group);
        BlockTable table = new BlockTable();
        try (KvCache cache = s.cache(16, table)) {
            float[] out = new float[group * headDim];
            float[] expected = new float[headDim];
            float[] scratch = new float[Attention.scratchFloats(cache.config(), group, positions)];
            for (int pos : new int[] {0, 15, 16, 17, 255, 256, 599}) {
                int qOff = pos * KV_HEADS * group * headDim + group * headDim;  // kv head 1's group
                Attention.pagedGroup(cache, 1, table, s.q, qOff, 1, group, pos, 1 / (float) Math.sqrt(headDim),
                        out, 0, scratch);
                for (int g = 0; g < group; g++) {
                    Attention.contiguousScalar(s.k, s.v, KV_HEADS, headDim, s.q, qOff + g * headDim, group + g, group,
                            pos, 1 / (float) Math.sqrt(headDim), expected, 0);
                    float[] got = java.util.Arrays.copyOfRange(out, g * headDim, (g + 1) * headDim);
                    assertClose(expected, got, "pos " + pos + " head " + g);
                }
            }
        }
    }

    @Test
    void singleKeyReturnsItsValueAndEqualKeysAverage() {
        int headDim = 16;
        KvCacheConfig c = new KvCacheConfig(1, 1, headDim, 4, 2);
        try (KvCache cache = new KvCache(c)) {
            BlockTable t = new BlockTable();
            t.ensureCapacity(cache, 2);
            float[] k = KernelsTest.gaussian(new Random(1), headDim, 1);
            float[] v0 = new float[headDim];
            float[] v1 = new float[headDim];
            for (int d = 0; d < headDim; d++) {
                v0[d] = d;
                v1[d] = -2 * d + 0.5f;
            }
            cache.store(0, t, 0, k, 0, v0, 0);
            cache.store(0, t, 1, k, 0, v1, 0);
            float[] q = KernelsTest.gaussian(new Random(2), headDim, 3);
            float[] out = new float[headDim];
            float[] scratch = new float[Attention.scratchFloats(c, 1, 2)];
            Attention.paged(cache, 0, t, q, 0, 0, 1, 0, 0.25f, out, 0, scratch);
            assertArrayEquals(v0, out);
            Attention.paged(cache, 0, t, q, 0, 0, 1, 1, 0.25f, out, 0, scratch);
            for (int d = 0; d < headDim; d++) {
                assertEquals((v0[d] + v1[d]) / 2, out[d], "dim " + d);
            }
        }
    }

    @Test
    void laterPositionsDoNotLeakIntoEarlierQueries() {
        int headDim = 32;
        Sequence s = Sequence.random(5, headDim, 20, KV_HEADS);
        BlockTable table = new BlockTable();
        try (KvCache cache = s.cache(16, table)) {
            float[] before = runPaged(cache, table, s, KV_HEADS, 1);
            float[] noise = KernelsTest.gaussian(new Random(6), KV_HEADS * headDim, 50);
            table.ensureCapacity(cache, 40);
            for (int p = 20; p < 40; p++) {
                cache.store(1, table, p, noise, 0, noise, 0);
            }
            assertArrayEquals(before, runPaged(cache, table, s, KV_HEADS, 1));
        }
    }

    @Test
    void outMayBeTheQueryItself() {
        int headDim = 64;
        int group = 4;
        Sequence s = Sequence.random(8, headDim, 30, KV_HEADS * group);
        BlockTable table = new BlockTable();
        try (KvCache cache = s.cache(16, table)) {
            float[] scratch = new float[Attention.scratchFloats(cache.config(), group, 30)];
            float[] out = new float[group * headDim];
            int qOff = 29 * KV_HEADS * group * headDim;
            Attention.pagedGroup(cache, 1, table, s.q, qOff, 0, group, 29, 0.125f, out, 0, scratch);
            float[] inPlace = s.q.clone();
            Attention.pagedGroup(cache, 1, table, inPlace, qOff, 0, group, 29, 0.125f, inPlace, qOff, scratch);
            assertArrayEquals(out, java.util.Arrays.copyOfRange(inPlace, qOff, qOff + group * headDim));
            float[] single = s.q.clone();
            Attention.paged(cache, 1, table, single, qOff, 0, group, 29, 0.125f, single, qOff, scratch);
            assertArrayEquals(java.util.Arrays.copyOf(out, headDim), java.util.Arrays.copyOfRange(single, qOff, qOff + headDim));
        }
    }

    @Test
    void badArgumentsAreInternalErrors() {
        KvCacheConfig c = new KvCacheConfig(1, 2, 16, 4, 4);
        try (KvCache cache = new KvCache(c)) {
            BlockTable t = new BlockTable();
            t.ensureCapacity(cache, 5);
            float[] q = new float[64];
            float[] out = new float[64];
            float[] scratch = new float[Attention.scratchFloats(c, 4, 8)];
            assertInternal(() -> Attention.paged(cache, 0, t, q, 0, 0, 1, 8, 1f, out, 0, scratch));  // beyond the table
            assertInternal(() -> Attention.paged(cache, 1, t, q, 0, 0, 1, 0, 1f, out, 0, scratch));  // no such layer
            assertInternal(() -> Attention.paged(cache, 0, t, q, 0, 2, 1, 0, 1f, out, 0, scratch));  // no KV head 2
            assertInternal(() -> Attention.paged(cache, 0, t, q, 0, 0, 0, 0, 1f, out, 0, scratch));
            assertInternal(() -> Attention.paged(cache, 0, t, q, 0, 0, 1, 5, 1f, out, 0, new float[69]));
            assertInternal(() -> Attention.pagedGroup(cache, 0, t, q, 0, 2, 2, 0, 1f, out, 0, scratch));
            Attention.paged(cache, 0, t, q, 0, 0, 1, 5, 1f, out, 0, new float[Attention.scratchFloats(c, 1, 6)]);
        }
    }

    private static void assertInternal(Runnable call) {
        EngineException e = assertThrows(EngineException.class, call::run);
        assertEquals(ErrorCategory.INTERNAL, e.category());
    }

    /** out[pos][head][d] for every position and query head, one head at a time. */
    private static float[] runPaged(KvCache cache, BlockTable table, Sequence s, int heads, int group) {
        int hd = s.headDim;
        float[] out = new float[s.positions * heads * hd];
        float[] scratch = new float[Attention.scratchFloats(cache.config(), 1, s.positions)];
        for (int pos = 0; pos < s.positions; pos++) {
            for (int h = 0; h < heads; h++) {
                int off = (pos * heads + h) * hd;
                Attention.paged(cache, 1, table, s.q, off, h, group, pos, 0.125f, out, off, scratch);
            }
        }
        return out;
    }

    private static float[] runGrouped(KvCache cache, BlockTable table, Sequence s, int heads, int group) {
        int hd = s.headDim;
        float[] out = new float[s.positions * heads * hd];
        float[] scratch = new float[Attention.scratchFloats(cache.config(), group, s.positions)];
        for (int pos = 0; pos < s.positions; pos++) {
            for (int kv = 0; kv < KV_HEADS; kv++) {
                int off = (pos * heads + kv * group) * hd;
                Attention.pagedGroup(cache, 1, table, s.q, off, kv, group, pos, 0.125f, out, off, scratch);
            }
        }
        return out;
    }

    private static float[] runContiguous(Sequence s, int heads, int group) {
        int hd = s.headDim;
        float[] out = new float[s.positions * heads * hd];
        for (int pos = 0; pos < s.positions; pos++) {
            for (int h = 0; h < heads; h++) {
                int off = (pos * heads + h) * hd;
                Attention.contiguousScalar(s.k, s.v, KV_HEADS, hd, s.q, off, h, group, pos, 0.125f, out, off);
            }
        }
        return out;
    }

    /**
     * Scores are bit-identical to the reference (same exact products, same order) and so are the
     * weighted sums; only the softmax's double sum is taken in another order, which can move
     * 1/sum by an ulp and then a probability by one f16 step (2^-11 relative). So most outputs are
     * equal to the bit and the rest (weighted means of N(0,1) values) within about 1e-3.
     */
    private static void assertClose(float[] expected, float[] actual, String what) {
        double worst = 0;
        int equal = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
            equal += expected[i] == actual[i] ? 1 : 0;
        }
        assertTrue(worst <= 2e-3, what + ": max difference " + worst);
        assertTrue(equal >= expected.length * 0.8, what + ": only " + equal + " of " + expected.length + " equal to the bit");
    }
}
