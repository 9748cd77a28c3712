package io.jynamo.engine.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp(x) in float by the method of ggml's AVX-512 {@code ggml_v_expf} (which llama.cpp's softmax and
 * SwiGLU use): x = n ln2 + b with n = round(x / ln2), a degree-5 polynomial for e^b, then scaling by
 * 2^n. Built from fma, mul and add only, so it gives the same bits in every JIT tier and the vector
 * and scalar forms agree exactly (the Vector API's own EXP does not: its compiled and interpreted
 * forms round differently). Error below 3 ulp (about 1.5 typically); exp(-inf) = 0, large arguments give infinity.
 */
final class Expf {
    private static final VectorSpecies<Float> F = Kernels.F;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final VectorSpecies<Double> D = VectorSpecies.of(double.class, F.vectorShape());
    /** 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer. */
    private static final float SHIFT = 0x1.8p23f;
    private static final float LOG2E = 0x1.715476p+0f;
    private static final float LN2_HI = 0x1.62e4p-1f;
    private static final float LN2_LO = 0x1.7f7d1cp-20f;
    private static final float C1 = 0x1.ffffecp-1f;
    private static final float C2 = 0x1.fffdb6p-2f;
    private static final float C3 = 0x1.555e66p-3f;
    private static final float C4 = 0x1.573e2ep-5f;
    private static final float C5 = 0x1.0e4020p-7f;
    /** Beyond |n| = 192 the result is 0 or infinity whatever the polynomial says. */
    private static final float N_LIMIT = 192f;

    private Expf() {}

    static FloatVector exp(FloatVector x) {
        FloatVector n = x.fma(LOG2E, SHIFT).sub(SHIFT);
        FloatVector negN = n.neg();
        FloatVector b = negN.fma(FloatVector.broadcast(F, LN2_LO), negN.fma(FloatVector.broadcast(F, LN2_HI), x));
        FloatVector u = b.mul(b);
        FloatVector j = b.fma(C5, C4).fma(u, b.fma(C3, C2)).fma(u, b.fma(C1, 1f));  // as ggml nests them
        // j * 2^n as two exact power-of-two factors, so that 2^n need not be a normal float itself
        IntVector ni = (IntVector) n.convert(VectorOperators.F2I, 0);
        IntVector half = ni.lanewise(VectorOperators.ASHR, 1);
        FloatVector res = j.mul(powerOfTwo(half)).mul(powerOfTwo(ni.sub(half)));
        VectorMask<Float> outside = n.abs().compare(VectorOperators.GT, N_LIMIT);
        if (!outside.anyTrue()) {
            return res;
        }
        FloatVector saturated = FloatVector.zero(F).blend(Float.POSITIVE_INFINITY, n.compare(VectorOperators.GT, 0f));
        return res.blend(saturated, outside);
    }

    /**
     * x[i] = exp(x[i] - shift) over x[off .. off+n), n a multiple of {@code F.length()}, and adds the
     * results, widened to double, lane by lane into {@code lanes} ({@code D.length()} values), so that
     * a caller working in chunks sums in the same order as one pass would. The same bits as
     * {@link #exp(FloatVector)} and {@link #exp(float)}.
     *
     * <p>The polynomial is written out inside the loop on purpose, with no helper of ours taking or
     * returning a vector: C2 keeps a vector in registers only where every call it flows through is
     * inlined, and whether C2 inlines a call of ours depends on the profile its caller gathered.
     */
    static void expInPlace(float[] x, int off, int n, float shift, double[] lanes) {
        DoubleVector acc = DoubleVector.fromArray(D, lanes, 0);
        for (int i = 0; i < n; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, off + i).sub(shift);
            FloatVector m = v.fma(LOG2E, SHIFT).sub(SHIFT);
            FloatVector negM = m.neg();
            FloatVector b = negM.fma(FloatVector.broadcast(F, LN2_LO), negM.fma(FloatVector.broadcast(F, LN2_HI), v));
            FloatVector u = b.mul(b);
            FloatVector j = b.fma(C5, C4).fma(u, b.fma(C3, C2)).fma(u, b.fma(C1, 1f));
            IntVector mi = (IntVector) m.convertShape(VectorOperators.F2I, I, 0);
            IntVector half = mi.lanewise(VectorOperators.ASHR, 1);
            FloatVector lo = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector hi = mi.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector res = j.mul(lo).mul(hi);
            // Saturation without a branch, so that no path depends on what the profile has seen.
            FloatVector saturated = FloatVector.zero(F).blend(Float.POSITIVE_INFINITY, m.compare(VectorOperators.GT, 0f));
            FloatVector e = res.blend(saturated, m.abs().compare(VectorOperators.GT, N_LIMIT));
            e.intoArray(x, off + i);
            acc = acc.add((DoubleVector) e.convertShape(VectorOperators.F2D, D, 0))
                    .add((DoubleVector) e.convertShape(VectorOperators.F2D, D, 1));
        }
        acc.intoArray(lanes, 0);
    }

    static float exp(float x) {
        float n = Math.fma(x, LOG2E, SHIFT) - SHIFT;
        float b = Math.fma(-n, LN2_LO, Math.fma(-n, LN2_HI, x));
        float u = b * b;
        float j = Math.fma(Math.fma(Math.fma(b, C5, C4), u, Math.fma(b, C3, C2)), u, Math.fma(b, C1, 1f));
        if (Math.abs(n) > N_LIMIT) {
            return n > 0 ? Float.POSITIVE_INFINITY : 0f;
        }
        int ni = (int) n;
        int half = ni >> 1;
        return j * Float.intBitsToFloat((half + 127) << 23) * Float.intBitsToFloat((ni - half + 127) << 23);
    }

    private static FloatVector powerOfTwo(IntVector k) {
        return k.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }
}
