package io.jynamo.llm.tokenizer;

import java.util.Arrays;

/** Open-addressing map from a pair of token ids to a BPE merge (its rank and the id it makes), without boxing. */
final class PairTable {
    private final long[] keys;
    private final long[] values;
    private final int mask;

    PairTable(int expected) {
        int cap = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        keys = new long[cap];
        values = new long[cap];
        Arrays.fill(keys, -1L);
        mask = cap - 1;
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFF_FFFFL);
    }

    private int slot(long key) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h >>> 40) & mask;
    }

    /** Records a merge unless the pair already has one (the first, lowest rank wins). */
    void putIfAbsent(int left, int right, int rank, int merged) {
        long k = key(left, right);
        int i = slot(k);
        while (keys[i] != -1L) {
            if (keys[i] == k) {
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = k;
        values[i] = ((long) rank << 32) | (merged & 0xFFFF_FFFFL);
    }

    /** The merge of (left, right) as {@code rank << 32 | merged}, or -1 if the pair does not merge. */
    long get(int left, int right) {
        long k = key(left, right);
        int i = slot(k);
        while (true) {
            long cur = keys[i];
            if (cur == k) {
                return values[i];
            }
            if (cur == -1L) {
                return -1L;
            }
            i = (i + 1) & mask;
        }
    }
}
