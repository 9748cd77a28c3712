package io.jynamo.frontend.openai;

import io.jynamo.api.output.TokenLogprob;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Logprobs of a run of tokens, gathered for one chunk or one whole choice. */
public final class LogprobList {
    private int[] ids = new int[16];
    private float[] logprobs = new float[16];
    private final List<List<TokenLogprob>> tops = new ArrayList<>();
    private int size;

    /** Adds the first {@code count} tokens of an engine output; {@code top} may be null. */
    public void add(int[] tokenIds, float[] lps, List<List<TokenLogprob>> top, int count) {
        if (size + count > ids.length) {
            int cap = Math.max(ids.length * 2, size + count);
            ids = Arrays.copyOf(ids, cap);
            logprobs = Arrays.copyOf(logprobs, cap);
        }
        for (int i = 0; i < count; i++) {
            ids[size + i] = tokenIds[i];
            logprobs[size + i] = lps == null ? 0f : lps[i];
            tops.add(top == null || i >= top.size() ? List.of() : top.get(i));
        }
        size += count;
    }

    public int size() {
        return size;
    }

    public int id(int i) {
        return ids[i];
    }

    public float logprob(int i) {
        return logprobs[i];
    }

    public List<TokenLogprob> top(int i) {
        return tops.get(i);
    }

    public void clear() {
        size = 0;
        tops.clear();
    }
}
