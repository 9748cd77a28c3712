package io.jynamo.engine.sample;

import io.jynamo.engine.kernel.Kernels;

/**
 * min-p, top-k and top-p, in the order vLLM's V1 sampler applies them, without sorting the
 * vocabulary: one pass keeps the tokens that pass min-p, a quickselect finds the k-th largest logit,
 * and top-p first drops the tokens that cannot matter by a weight threshold, then finds its smallest
 * prefix with a quickselect that follows the probability mass. Everything is expected O(vocab).
 *
 * <p>Tokens are ordered by probability, then by id (lower first) among equal probabilities: the
 * order decides which of several tied tokens top-p keeps. Top-k keeps every token tied with the k-th,
 * as vLLM does.
 */
final class Truncation {
    private static final int SORT_BELOW = 16;

    private Truncation() {
    }

    /**
     * Filters the scaled logits in {@code s.values}, whose largest value is {@code max}. On return
     * {@code s.candidates[0, n)} holds the kept token ids in a deterministic order and
     * {@code s.values} holds the softmax of the logits (over the whole vocabulary; the draw
     * renormalises over the kept tokens).
     *
     * @return n, at least 1 (the most likely token always survives)
     */
    static int keep(SamplerScratch s, float max, float minP, int topK, float topP) {
        float[] v = s.values;
        int[] c = s.candidates;
        // min-p keeps p >= minP * pMax, that is logit - max >= ln(minP); -inf and NaN never pass.
        float floor = minP > 0 ? (float) (max + Math.log(minP)) : -Float.MAX_VALUE;
        int n = 0;
        for (int id = 0; id < v.length; id++) {
            if (v[id] >= floor) {
                c[n++] = id;
            }
        }
        if (topK > 0 && topK < n) {
            float kth = kthLargest(s, n, topK);
            n = keepAtLeast(v, c, n, kth);
        }
        // Vectorised over the whole vocabulary: cheaper than a scalar exp over the kept tokens alone.
        Kernels.softmax(v, 0, v.length);
        if (topP >= 1) {
            return n;
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += v[c[i]];
        }
        return topP(v, c, n, total, topP);
    }

    /** The k-th largest logit among the candidates (k = 1 is the largest). */
    static float kthLargest(SamplerScratch s, int n, int k) {
        float[] a = s.select;
        for (int i = 0; i < n; i++) {
            a[i] = s.values[s.candidates[i]];
        }
        int lo = 0;
        int hi = n - 1;
        int target = k - 1;
        while (lo < hi) {
            float pivot = median(a[lo], a[(lo + hi) >>> 1], a[hi]);
            // Three-way partition, descending: [lo, lt) > pivot, [lt, gt] == pivot, (gt, hi] < pivot.
            // Equal values gather in the middle, so many ties cannot make it quadratic.
            int lt = lo;
            int gt = hi;
            int i = lo;
            while (i <= gt) {
                if (a[i] > pivot) {
                    swap(a, lt++, i++);
                } else if (a[i] < pivot) {
                    swap(a, i, gt--);
                } else {
                    i++;
                }
            }
            if (target < lt) {
                hi = lt - 1;
            } else if (target > gt) {
                lo = gt + 1;
            } else {
                return pivot;
            }
        }
        return a[lo];
    }

    private static int keepAtLeast(float[] v, int[] c, int n, float threshold) {
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (v[c[i]] >= threshold) {
                c[m++] = c[i];
            }
        }
        return m;
    }

    /**
     * Keeps the smallest most-likely set whose weight reaches topP × total. A token lighter than
     * (1 - p) × total / n is dropped in any order: all such tokens together weigh less than
     * (1 - p) × total, so more than p × total lies above each. On a peaked distribution that
     * threshold leaves few tokens for the selection.
     */
    private static int topP(float[] w, int[] c, int n, double total, float topP) {
        float light = (float) ((1 - (double) topP) * total / n);
        int m = keepAtLeast(w, c, n, light);
        return selectByMass(w, c, m, topP * total);
    }

    /**
     * Reorders {@code c[0, n)} so that {@code c[0, r)} is the smallest set of most likely tokens
     * whose weight reaches {@code target}; returns r.
     */
    static int selectByMass(float[] w, int[] c, int n, double target) {
        int from = 0;
        int to = n;
        while (to - from > SORT_BELOW) {
            int p = partition(w, c, from, to);
            double above = 0;
            for (int i = from; i < p; i++) {
                above += w[c[i]];
            }
            if (above >= target) {
                to = p;
                continue;
            }
            double withPivot = above + w[c[p]];
            if (withPivot >= target) {
                return p + 1;
            }
            target -= withPivot;
            from = p + 1;
        }
        insertionSort(w, c, from, to);
        for (int i = from; i < to; i++) {
            target -= w[c[i]];
            if (target <= 0) {
                return i + 1;
            }
        }
        return to;
    }

    /** Lomuto partition around a median-of-three pivot; returns the pivot's final position. */
    private static int partition(float[] w, int[] c, int from, int to) {
        int last = to - 1;
        swap(c, median(w, c, from, (from + last) >>> 1, last), last);
        int pivot = c[last];
        int store = from;
        for (int i = from; i < last; i++) {
            if (before(w, c[i], pivot)) {
                swap(c, i, store++);
            }
        }
        swap(c, store, last);
        return store;
    }

    private static void insertionSort(float[] w, int[] c, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            int id = c[i];
            int j = i - 1;
            while (j >= from && before(w, id, c[j])) {
                c[j + 1] = c[j];
                j--;
            }
            c[j + 1] = id;
        }
    }

    /** Whether token a comes before token b: more likely, or as likely with a lower id. */
    private static boolean before(float[] w, int a, int b) {
        return w[a] > w[b] || (w[a] == w[b] && a < b);
    }

    private static int median(float[] w, int[] c, int i, int j, int k) {
        if (before(w, c[i], c[j])) {
            if (before(w, c[j], c[k])) {
                return j;
            }
            return before(w, c[i], c[k]) ? k : i;
        }
        if (before(w, c[i], c[k])) {
            return i;
        }
        return before(w, c[j], c[k]) ? k : j;
    }

    private static float median(float a, float b, float c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    private static void swap(float[] a, int i, int j) {
        float t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
