package io.jynamo.engine.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The KV pool costs RAM as it fills, not as it is sized: the demo-sized model's default pool
 * (64 sequences x 4096 tokens, 1 GiB) leaves the process's resident size almost where it was, and
 * the blocks written are there, zero elsewhere.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KvCacheCommitTest {
    private static final Path STATUS = Path.of("/proc/self/status");

    private static long rssBytes() throws IOException {
        for (String line : Files.readAllLines(STATUS)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new AssertionError("no VmRSS in " + STATUS);
    }

    @Test
    void aLargePoolIsCommittedAsBlocksAreWritten() throws IOException {
        assumeTrue(Files.isReadable(STATUS), "needs /proc (Linux)");
        // the demo model: 4 layers, 4 KV heads of 64; 16384 blocks of 16 tokens = 64 sequences x 4096 tokens
        KvCacheConfig demo = new KvCacheConfig(4, 4, 64, 16, 16384);
        assertEquals(1L << 30, demo.totalBytes());
        long before = rssBytes();
        try (KvCache cache = new KvCache(demo)) {
            long allocated = rssBytes();
            assertTrue(allocated - before < 64L << 20, "a 1 GiB pool took " + ((allocated - before) >> 20)
                    + " MiB of RSS at once");
            BlockTable t = new BlockTable();
            t.ensureCapacity(cache, 64 * 16);  // 64 blocks: 4 MiB
            float[] k = new float[4 * 64];
            float[] v = new float[4 * 64];
            java.util.Arrays.fill(k, 1.5f);
            java.util.Arrays.fill(v, -2f);
            for (int pos = 0; pos < 64 * 16; pos++) {
                for (int layer = 0; layer < 4; layer++) {
                    cache.store(layer, t, pos, k, 0, v, 0);
                }
            }
            float[] back = new float[4 * 64];
            cache.loadValues(3, t, 64 * 16 - 1, back, 0);
            assertEquals(-2f, back[255]);
            long written = rssBytes();
            assertTrue(written - before < 128L << 20, "64 blocks written, yet RSS grew by "
                    + ((written - before) >> 20) + " MiB");
            BlockTable fresh = new BlockTable();
            fresh.ensureCapacity(cache, 16);
            cache.loadKeys(0, fresh, 0, back, 0);
            for (float f : back) {
                assertEquals(0f, f, "a block never written reads as zero");
            }
        }
    }
}
