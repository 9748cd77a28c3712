package io.jynamo.llm.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SentencePiece BPE over one piece of text (spaces already written as U+2581), as llama.cpp's
 * llm_tokenizer_spm: characters start as symbols; the adjacent pair whose concatenation is the
 * highest-scoring token (leftmost on ties) merges until none is a token; a symbol that is not a
 * token (a single character outside the vocabulary) becomes byte tokens ({@code <0xNN>}). Merged
 * symbols are always tokens, so llama.cpp's re-split of merged non-tokens never happens and is left out.
 *
 * <p>Speed: when no token of the vocabulary has U+2581 right after another character (true of Llama 2's
 * and Phi-3's: SentencePiece trained with split_by_whitespace), no merge can cross the start of a run of
 * U+2581, so the text is cut there into chunks merged on their own, with the same result, and each
 * chunk's ids are cached (bounded), as the BPE path caches words.
 */
final class SpmModel {
    private static final char SPACE = '\u2581';
    private static final int CACHE_LIMIT = 65_536;
    private final Map<String, Integer> tokenToId;
    private final boolean chunked;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();
    private final float[] scores;
    private final int[] byteToken = new int[256];
    private final int unkId;

    SpmModel(Map<String, Integer> tokenToId, float[] scores, int unkId) {
        this.tokenToId = tokenToId;
        this.scores = scores;
        this.unkId = unkId;
        for (int b = 0; b < 256; b++) {
            Integer id = tokenToId.get(String.format("<0x%02X>", b));
            if (id == null && b < 0x80) {
                id = tokenToId.get(String.valueOf((char) b));
            }
            byteToken[b] = id == null ? -1 : id;
        }
        this.chunked = tokenToId.keySet().stream().noneMatch(SpmModel::joinsWordAndSpace);
    }

    /** Whether a token has U+2581 right after another character (a merge across a word's end). */
    private static boolean joinsWordAndSpace(String token) {
        for (int i = 1; i < token.length(); i++) {
            if (token.charAt(i) == SPACE && token.charAt(i - 1) != SPACE) {
                return true;
            }
        }
        return false;
    }

    private record Bigram(int left, int right, float score, int size) {
    }

    /** Appends the ids of {@code text}. Thread-safe: the only shared state is the cache. */
    void encode(String text, IntList out) {
        if (!chunked) {
            merge(text, out);
            return;
        }
        int from = 0;
        for (int i = 1; i < text.length(); i++) {
            if (text.charAt(i) == SPACE && text.charAt(i - 1) != SPACE) {
                encodeChunk(text.substring(from, i), out);
                from = i;
            }
        }
        encodeChunk(text.substring(from), out);
    }

    private void encodeChunk(String chunk, IntList out) {
        int[] cached = cache.get(chunk);
        if (cached == null) {
            IntList ids = new IntList(chunk.length());
            merge(chunk, ids);
            cached = ids.toArray();
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(chunk, cached);
        }
        out.addAll(cached);
    }

    /** The merge loop over the whole of {@code text}, never cut into chunks (the reference for the chunked path). */
    void merge(String text, IntList out) {
        int n = text.codePointCount(0, text.length());
        int[] start = new int[n];
        int[] len = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0, off = 0; i < n; i++) {
            int cp = text.codePointAt(off);
            start[i] = off;
            len[i] = Character.charCount(cp);
            off += len[i];
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        PriorityQueue<Bigram> queue = new PriorityQueue<>((a, b) -> a.score != b.score
                ? Float.compare(b.score, a.score) : Integer.compare(a.left, b.left));
        for (int i = 1; i < n; i++) {
            tryAddBigram(text, start, len, i - 1, i, queue);
        }
        while (!queue.isEmpty()) {
            Bigram bg = queue.poll();
            if (len[bg.left] == 0 || len[bg.right] == 0 || len[bg.left] + len[bg.right] != bg.size) {
                continue;
            }
            len[bg.left] += len[bg.right];
            len[bg.right] = 0;
            next[bg.left] = next[bg.right];
            if (next[bg.right] >= 0) {
                prev[next[bg.right]] = bg.left;
            }
            tryAddBigram(text, start, len, prev[bg.left], bg.left, queue);
            tryAddBigram(text, start, len, bg.left, next[bg.left], queue);
        }
        for (int i = 0; i != -1 && n > 0; i = next[i]) {
            emit(text.substring(start[i], start[i] + len[i]), out);
        }
    }

    private void tryAddBigram(String text, int[] start, int[] len, int left, int right, PriorityQueue<Bigram> queue) {
        if (left == -1 || right == -1) {
            return;
        }
        String s = text.substring(start[left], start[left] + len[left] + len[right]);
        Integer id = tokenToId.get(s);
        if (id == null) {
            return;
        }
        queue.add(new Bigram(left, right, scores == null ? 0f : scores[id], s.length()));
    }

    private void emit(String s, IntList out) {
        Integer id = tokenToId.get(s);
        if (id != null) {
            out.add(id);
            return;
        }
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int t = byteToken[b & 0xFF];
            out.add(t >= 0 ? t : unkId);
        }
    }
}
