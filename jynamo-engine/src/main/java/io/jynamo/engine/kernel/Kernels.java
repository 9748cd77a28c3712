package io.jynamo.engine.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise and reduction kernels of the forward pass (Vector API), each with a scalar twin
 * ({@code fooScalar}) that is the reference in tests. Numerics follow llama.cpp's CPU backend: sums
 * that it keeps in double (rmsnorm's sum of squares, softmax's denominator) are double here too.
 */
public final class Kernels {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = VectorSpecies.of(double.class, F.vectorShape());
    /** Values per call of a vector loop inside a long kernel (a multiple of every vector length). */
    private static final int CHUNK = 2048;

    private Kernels() {}

    /** out = x / sqrt(mean(x^2) + eps) * weight, over n values. out may be x. */
    public static void rmsnorm(float[] out, int outOff, float[] x, int xOff, float[] weight, int wOff, int n, float eps) {
        float scale = rmsScale(sumOfSquares(x, xOff, n), n, eps);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i).mul(scale);
            v.mul(FloatVector.fromArray(F, weight, wOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = x[xOff + i] * scale * weight[wOff + i];
        }
    }

    public static void rmsnormScalar(float[] out, int outOff, float[] x, int xOff, float[] weight, int wOff, int n, float eps) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            sum += v * v;
        }
        float scale = rmsScale(sum, n, eps);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = x[xOff + i] * scale * weight[wOff + i];
        }
    }

    /** As ggml: the mean is rounded to float before eps is added, the scale is 1/sqrtf. */
    private static float rmsScale(double sumOfSquares, int n, float eps) {
        float mean = (float) (sumOfSquares / n);
        return 1.0f / (float) Math.sqrt(mean + eps);
    }

    /** Sum of the float squares, accumulated in double (each square is rounded to float first). */
    private static double sumOfSquares(float[] x, int off, int n) {
        DoubleVector acc = DoubleVector.zero(D);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, off + i);
            FloatVector sq = v.mul(v);
            acc = acc.add((DoubleVector) sq.convertShape(VectorOperators.F2D, D, 0))
                    .add((DoubleVector) sq.convertShape(VectorOperators.F2D, D, 1));
        }
        double sum = sumLanes(acc);
        for (; i < n; i++) {
            float v = x[off + i];
            sum += v * v;
        }
        return sum;
    }

    /** gate[i] = silu(gate[i]) * up[i], silu(x) = x / (1 + exp(-x)), exp as ggml's ({@link Expf}). */
    public static void siluMul(float[] gate, int gOff, float[] up, int uOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector g = FloatVector.fromArray(F, gate, gOff + i);
            FloatVector silu = g.div(Expf.exp(g.neg()).add(1.0f));
            silu.mul(FloatVector.fromArray(F, up, uOff + i)).intoArray(gate, gOff + i);
        }
        for (; i < n; i++) {
            gate[gOff + i] = silu(gate[gOff + i]) * up[uOff + i];
        }
    }

    public static void siluMulScalar(float[] gate, int gOff, float[] up, int uOff, int n) {
        for (int i = 0; i < n; i++) {
            gate[gOff + i] = silu(gate[gOff + i]) * up[uOff + i];
        }
    }

    static float silu(float x) {
        return x / (1.0f + Expf.exp(-x));
    }

    /** dst[i] += src[i]. */
    public static void add(float[] dst, int dOff, float[] src, int sOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, dst, dOff + i).add(FloatVector.fromArray(F, src, sOff + i)).intoArray(dst, dOff + i);
        }
        for (; i < n; i++) {
            dst[dOff + i] += src[sOff + i];
        }
    }

    public static void addScalar(float[] dst, int dOff, float[] src, int sOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dOff + i] += src[sOff + i];
        }
    }

    /** dst[i] *= src[i]. */
    public static void mul(float[] dst, int dOff, float[] src, int sOff, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, dst, dOff + i).mul(FloatVector.fromArray(F, src, sOff + i)).intoArray(dst, dOff + i);
        }
        for (; i < n; i++) {
            dst[dOff + i] *= src[sOff + i];
        }
    }

    public static void mulScalar(float[] dst, int dOff, float[] src, int sOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dOff + i] *= src[sOff + i];
        }
    }

    /** x[i] *= s. */
    public static void scale(float[] x, int off, int n, float s) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, off + i).mul(s).intoArray(x, off + i);
        }
        for (; i < n; i++) {
            x[off + i] *= s;
        }
    }

    public static void scaleScalar(float[] x, int off, int n, float s) {
        for (int i = 0; i < n; i++) {
            x[off + i] *= s;
        }
    }

    /** a[aOff ..+n) · b[bOff ..+n), accumulated in float. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int step = F.length();
        int i = 0;
        for (int bound = n - 2 * step; i <= bound; i += 2 * step) {
            acc0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc0);
            acc1 = FloatVector.fromArray(F, a, aOff + i + step).fma(FloatVector.fromArray(F, b, bOff + i + step), acc1);
        }
        if (i + step <= n) {
            acc0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc0);
            i += step;
        }
        float sum = sumLanes(acc0.add(acc1));
        for (; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    public static float dotScalar(float[] a, int aOff, float[] b, int bOff, int n) {
        float sum = 0;
        for (int i = 0; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    /**
     * In-place softmax over x[off .. off+n): exp(x - max) in float ({@link Expf}), their sum in double (as ggml),
     * then every value times the float reciprocal of the sum. n must be at least 1.
     */
    public static void softmax(float[] x, int off, int n) {
        if (n <= CHUNK) {
            softmaxOnePass(x, off, n);
            return;
        }
        // The vector work runs in chunks, each a call of its own. A vocabulary-sized softmax is called
        // a few hundred times where a kernel of the forward pass is called millions of times, so its
        // JIT tier depends on what ran before: in C1 code every Vector API operation allocates its
        // result (12 bytes a value here: 1.8 MB per call over 152k logits), and C1 code with a long
        // loop waited on a C2 compile that needs hundreds of invocations. Chunks of CHUNK values
        // give the vector methods those invocations within a few softmax calls.
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < n; c += CHUNK) {
            max = Math.max(max, max(x, off + c, Math.min(CHUNK, n - c)));
        }
        int vectorEnd = F.loopBound(n);
        double[] lanes = new double[D.length()];
        for (int c = 0; c < vectorEnd; c += CHUNK) {
            Expf.expInPlace(x, off + c, Math.min(CHUNK, vectorEnd - c), max, lanes);
        }
        double sum = 0;
        for (double lane : lanes) {
            sum += lane;  // a fixed order: reduceLanes(ADD) leaves it open
        }
        for (int i = vectorEnd; i < n; i++) {
            float e = Expf.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        float inverse = (float) (1.0 / sum);
        for (int c = 0; c < n; c += CHUNK) {
            scale(x, off + c, Math.min(CHUNK, n - c), inverse);
        }
    }

    /**
     * The softmax of a row short enough to be one chunk (attention's rows), in one pass and with no
     * scratch: called millions of times, it reaches C2 at once, and the chunked path's extra calls cost
     * prefill about 7%. Same arithmetic, so the same bits, as the chunked path.
     */
    private static void softmaxOnePass(float[] x, int off, int n) {
        float max = max(x, off, n);
        int bound = F.loopBound(n);
        DoubleVector acc = DoubleVector.zero(D);
        int i;
        for (i = 0; i < bound; i += F.length()) {
            FloatVector e = Expf.exp(FloatVector.fromArray(F, x, off + i).sub(max));
            e.intoArray(x, off + i);
            acc = acc.add((DoubleVector) e.convertShape(VectorOperators.F2D, D, 0))
                    .add((DoubleVector) e.convertShape(VectorOperators.F2D, D, 1));
        }
        double sum = sumLanes(acc);
        for (; i < n; i++) {
            float e = Expf.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        scale(x, off, n, (float) (1.0 / sum));
    }

    /** The largest of x[off .. off+n); NaN if any is NaN. */
    static float max(float[] x, int off, int n) {
        int bound = F.loopBound(n);
        float max = Float.NEGATIVE_INFINITY;
        int i = 0;
        if (bound > 0) {
            FloatVector m = FloatVector.fromArray(F, x, off);
            for (i = F.length(); i < bound; i += F.length()) {
                m = m.max(FloatVector.fromArray(F, x, off + i));
            }
            max = m.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        return max;
    }

    /*
     * Lane sums in a fixed order. reduceLanes(ADD) leaves the order open, and the interpreter and C2
     * pick different ones, so results would change once the code is hot (seen in a test).
     */
    private static double sumLanes(DoubleVector v) {
        double s = 0;
        for (int l = 0; l < v.length(); l++) {
            s += v.lane(l);
        }
        return s;
    }

    private static float sumLanes(FloatVector v) {
        float s = 0;
        for (int l = 0; l < v.length(); l++) {
            s += v.lane(l);
        }
        return s;
    }

    public static void softmaxScalar(float[] x, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float e = Expf.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        scaleScalar(x, off, n, (float) (1.0 / sum));
    }
}
