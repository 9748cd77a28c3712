package io.jynamo.llm.tokenizer;

import io.jynamo.llm.LlmException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE over one word, as llama.cpp's llm_tokenizer_bpe: the word's UTF-8 bytes, written in
 * the byte-level alphabet, start as one token each; the adjacent pair of lowest merge rank (leftmost on
 * ties) merges until no pair does. Results are cached per word (bounded).
 */
final class BpeModel {
    private static final int CACHE_LIMIT = 65_536;

    private final Map<String, Integer> tokenToId;
    private final int[] byteToken = new int[256];
    private final PairTable merges;
    private final boolean ignoreMerges;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    BpeModel(Map<String, Integer> tokenToId, String[] mergeList, boolean ignoreMerges, String source) {
        this.tokenToId = tokenToId;
        this.ignoreMerges = ignoreMerges;
        for (int b = 0; b < 256; b++) {
            byteToken[b] = tokenToId.getOrDefault(String.valueOf(ByteLevel.charOf(b)), -1);
        }
        if (mergeList == null) {
            throw LlmException.badInput(source + ": a BPE vocabulary needs tokenizer.ggml.merges");
        }
        merges = new PairTable(mergeList.length);
        for (int rank = 0; rank < mergeList.length; rank++) {
            String m = mergeList[rank];
            int sp = m.indexOf(' ', 1);
            if (sp < 0) {
                throw LlmException.badInput(source + ": merge " + rank + " is not two tokens: '" + m + "'");
            }
            String a = m.substring(0, sp);
            String b = m.substring(sp + 1);
            Integer ia = tokenToId.get(a);
            Integer ib = tokenToId.get(b);
            Integer iab = tokenToId.get(a + b);
            if (ia != null && ib != null && iab != null) {
                merges.putIfAbsent(ia, ib, rank, iab);
            }
        }
    }

    /** Appends the ids of one pre-tokenized word. */
    void encodeWord(String word, IntList out) {
        int[] cached = cache.get(word);
        if (cached == null) {
            cached = merge(word);
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(word, cached);
        }
        out.addAll(cached);
    }

    private int[] merge(String word) {
        byte[] utf8 = word.getBytes(StandardCharsets.UTF_8);
        if (ignoreMerges || utf8.length == 1) {
            Integer whole = tokenToId.get(ByteLevel.encode(utf8));
            if (whole != null) {
                return new int[] {whole};
            }
        }
        int[] ids = new int[utf8.length];
        for (int i = 0; i < utf8.length; i++) {
            ids[i] = byteToken[utf8[i] & 0xFF];
        }
        int n = ids.length;
        while (n > 1) {
            int bestRank = Integer.MAX_VALUE;
            int bestPos = -1;
            int bestId = -1;
            for (int i = 0; i + 1 < n; i++) {
                if (ids[i] < 0 || ids[i + 1] < 0) {
                    continue;
                }
                long m = merges.get(ids[i], ids[i + 1]);
                if (m >= 0 && (int) (m >>> 32) < bestRank) {
                    bestRank = (int) (m >>> 32);
                    bestPos = i;
                    bestId = (int) m;
                }
            }
            if (bestPos < 0) {
                break;
            }
            ids[bestPos] = bestId;
            System.arraycopy(ids, bestPos + 2, ids, bestPos + 1, n - bestPos - 2);
            n--;
        }
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (ids[i] >= 0) {
                ids[kept++] = ids[i];
            }
        }
        return java.util.Arrays.copyOf(ids, kept);
    }
}
