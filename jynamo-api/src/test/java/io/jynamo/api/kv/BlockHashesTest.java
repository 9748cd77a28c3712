package io.jynamo.api.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BlockHashesTest {
    private static long u64(String decimal) {
        return Long.parseUnsignedLong(decimal);
    }

    private static long hashBytes(ByteBuffer buf) {
        return Xxh3.hash64(buf.array(), 0, buf.position(), 1337);
    }

    @Test
    void knownAnswerFromTheArchitecture() {
        long[] hashes = BlockHashes.blockHashes(new int[] {1, 2, 3, 4}, 4);
        assertArrayEquals(new long[] {u64("14643705804678351452")}, hashes);
        assertEquals("14643705804678351452", Long.toUnsignedString(hashes[0]));
        assertArrayEquals(hashes, BlockHashes.sequenceHashes(hashes));
    }

    @Test
    void chainedSequenceHashesMatchTheOracle() {
        // Values from hash-wasm's XXH3 over the same bytes (block hashes, then the 16-byte pairs).
        int[] tokens = IntStream.rangeClosed(1, 14).toArray(); // 3 full blocks of 4, 2 tokens left over
        assertArrayEquals(new long[] {u64("14643705804678351452"), u64("16777012769546811212"),
            u64("483935686894639516")}, BlockHashes.blockHashes(tokens, 4));
        assertArrayEquals(new long[] {u64("14643705804678351452"), u64("4945711292740353085"),
            u64("12583592247330656132")}, BlockHashes.sequenceHashes(tokens, 4));
    }

    @Test
    void sequenceHashesAreBuiltFromLittleEndianBytesAsSpecified() {
        int[] tokens = IntStream.range(0, 50).map(i -> i * 7919 - 100).toArray();
        int blockSize = 16;
        long[] block = new long[3];
        for (int b = 0; b < 3; b++) {
            ByteBuffer buf = ByteBuffer.allocate(4 * blockSize).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < blockSize; i++) {
                buf.putInt(tokens[b * blockSize + i]);
            }
            block[b] = hashBytes(buf);
        }
        long seq1 = hashBytes(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(block[0]).putLong(block[1]));
        long seq2 = hashBytes(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(seq1).putLong(block[2]));

        assertArrayEquals(block, BlockHashes.blockHashes(tokens, blockSize));
        assertArrayEquals(new long[] {block[0], seq1, seq2}, BlockHashes.sequenceHashes(tokens, blockSize));
        assertEquals(block[1], BlockHashes.blockHash(tokens, blockSize, blockSize));
        assertEquals(seq2, BlockHashes.sequenceHash(seq1, block[2]));
    }

    @Test
    void equalPrefixesShareSequenceHashesAndDivergeAfter() {
        int[] a = IntStream.range(0, 64).toArray();
        int[] b = a.clone();
        b[40] = -1; // inside block 2 of 16
        long[] sa = BlockHashes.sequenceHashes(a, 16);
        long[] sb = BlockHashes.sequenceHashes(b, 16);
        assertArrayEquals(Arrays.copyOf(sa, 2), Arrays.copyOf(sb, 2));
        assertNotEquals(sa[2], sb[2]);
        assertNotEquals(sa[3], sb[3]);
        // Same block contents at a different position: same block hash, different sequence hash.
        int[] repeated = new int[32];
        long[] blocks = BlockHashes.blockHashes(repeated, 16);
        assertEquals(blocks[0], blocks[1]);
        assertNotEquals(BlockHashes.sequenceHashes(blocks)[0], BlockHashes.sequenceHashes(blocks)[1]);
    }

    @Test
    void partialTailIsNotHashed() {
        assertEquals(0, BlockHashes.blockHashes(new int[15], 16).length);
        assertEquals(0, BlockHashes.sequenceHashes(new int[0], 16).length);
        assertEquals(2, BlockHashes.blockHashes(new int[47], 16).length);
        assertArrayEquals(BlockHashes.blockHashes(new int[32], 16), BlockHashes.blockHashes(new int[47], 16));
        assertEquals(0, BlockHashes.sequenceHashes(new long[0]).length);
    }

    @Test
    void rejectsBlockSizesBelowOneAndNulls() {
        assertThrows(IllegalArgumentException.class, () -> BlockHashes.blockHashes(new int[4], 0));
        assertThrows(IllegalArgumentException.class, () -> BlockHashes.sequenceHashes(new int[4], -3));
        assertThrows(IllegalArgumentException.class, () -> BlockHashes.blockHash(new int[4], 0, 0));
        assertThrows(IllegalArgumentException.class, () -> BlockHashes.blockHashes(null, 16));
        assertThrows(IllegalArgumentException.class, () -> BlockHashes.sequenceHashes((long[]) null));
        assertThrows(IllegalArgumentException.class, () -> BlockHashes.blockHash(new int[4], 2, 4));
    }
}
