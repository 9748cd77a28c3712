package io.jynamo.api.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Xxh3Test {
    private static final long[] SEEDS = {0, 1, 1337, 0xFFFF_FFFFL, 0x1_0000_0000L, 0x9E3779B97F4A7C15L, -1};

    private record Golden(int len, long seed, long hash) {}

    /** Vectors from hash-wasm (the xxHash C code as WebAssembly); see xxh3-golden.mjs for how they were made. */
    private static List<Golden> golden() throws IOException {
        List<Golden> out = new ArrayList<>();
        try (var in = Objects.requireNonNull(Xxh3Test.class.getResourceAsStream("xxh3-golden.txt"));
                var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.trim().split(" ");
                out.add(new Golden(Integer.parseInt(f[0]), Long.parseUnsignedLong(f[1], 16),
                        Long.parseUnsignedLong(f[2], 16)));
            }
        }
        return out;
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    private static byte[] le32Bytes(int[] tokens, int off, int count) {
        ByteBuffer buf = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            buf.putInt(tokens[off + i]);
        }
        return buf.array();
    }

    @Test
    void matchesTheOracleOnEveryLengthPathAndSeed() throws IOException {
        List<Golden> cases = golden();
        assertTrue(cases.size() > 2000, "golden file has " + cases.size() + " vectors");
        byte[] data = pattern(cases.stream().mapToInt(Golden::len).max().orElseThrow());
        for (Golden g : cases) {
            long got = Xxh3.hash64(data, 0, g.len(), g.seed());
            assertEquals(g.hash(), got, () -> "len " + g.len() + " seed " + Long.toHexString(g.seed())
                    + ": expected " + Long.toHexString(g.hash()) + ", got " + Long.toHexString(got));
        }
    }

    @Test
    void knownAnswersOfTheReferenceImplementation() {
        // XXH3_64bits of the empty input with seed 0, as published with xxHash.
        assertEquals(0x2D06800538D394C2L, Xxh3.hash64(new byte[0], 0, 0, 0));
    }

    @Test
    void hashesOnlyTheGivenRangeOfALargerArray() throws IOException {
        for (Golden g : golden()) {
            if (g.len() % 37 != 0 && g.len() < 2000) {
                continue;
            }
            byte[] padded = new byte[g.len() + 11];
            System.arraycopy(pattern(g.len()), 0, padded, 5, g.len());
            Arrays.fill(padded, 0, 5, (byte) 0x5A);
            Arrays.fill(padded, 5 + g.len(), padded.length, (byte) 0xA5);
            assertEquals(g.hash(), Xxh3.hash64(padded, 5, g.len(), g.seed()), "len " + g.len());
        }
    }

    @Test
    void tokenHashEqualsByteHashOfLittleEndianTokens() {
        SplittableRandom random = new SplittableRandom(42);
        int[] counts = {0, 1, 2, 3, 4, 5, 8, 15, 16, 17, 31, 32, 33, 59, 60, 61, 64, 100, 255, 256, 257, 300, 700};
        for (int count : counts) {
            for (long seed : SEEDS) {
                int off = random.nextInt(4);
                int[] tokens = new int[off + count + 3];
                for (int i = 0; i < tokens.length; i++) {
                    tokens[i] = random.nextInt(); // negative ids exercise the unsigned reads
                }
                byte[] bytes = le32Bytes(tokens, off, count);
                assertEquals(Xxh3.hash64(bytes, 0, bytes.length, seed), Xxh3.hashTokensLe32(tokens, off, count, seed),
                        "count " + count + " seed " + seed);
            }
        }
    }

    @Test
    void pairHashEqualsByteHashOfTwoLittleEndianWords() {
        SplittableRandom random = new SplittableRandom(7);
        for (long seed : SEEDS) {
            for (int i = 0; i < 50; i++) {
                long a = random.nextLong();
                long b = random.nextLong();
                byte[] bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(a).putLong(b).array();
                assertEquals(Xxh3.hash64(bytes, 0, 16, seed), Xxh3.hash64(a, b, seed));
            }
        }
    }

    @Test
    void seedAndEveryInputBitChangeTheHash() {
        byte[] data = pattern(300);
        for (int len : new int[] {3, 8, 16, 100, 200, 300}) {
            long base = Xxh3.hash64(data, 0, len, 1337);
            assertTrue(base != Xxh3.hash64(data, 0, len, 1338), "seed ignored at len " + len);
            for (int bit = 0; bit < len * 8; bit += 13) {
                data[bit / 8] ^= (byte) (1 << (bit % 8));
                assertTrue(base != Xxh3.hash64(data, 0, len, 1337), "bit " + bit + " ignored at len " + len);
                data[bit / 8] ^= (byte) (1 << (bit % 8));
            }
        }
    }

    @Test
    void rejectsBadRanges() {
        byte[] data = new byte[10];
        int[] tokens = new int[10];
        assertThrows(IllegalArgumentException.class, () -> Xxh3.hash64(null, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Xxh3.hash64(data, -1, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> Xxh3.hash64(data, 0, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> Xxh3.hash64(data, 5, 6, 0));
        assertThrows(IllegalArgumentException.class, () -> Xxh3.hash64(data, Integer.MAX_VALUE, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> Xxh3.hashTokensLe32(null, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Xxh3.hashTokensLe32(tokens, 8, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> Xxh3.hashTokensLe32(tokens, -1, 1, 0));
        assertEquals(Xxh3.hash64(data, 10, 0, 0), Xxh3.hashTokensLe32(tokens, 10, 0, 0));
    }
}
