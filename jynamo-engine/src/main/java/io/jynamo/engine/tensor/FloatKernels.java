package io.jynamo.engine.tensor;

import static io.jynamo.engine.tensor.Simd.F;
import static io.jynamo.engine.tensor.Simd.L;

import jdk.incubator.vector.FloatVector;

/**
 * Dot products of decoded (f32) weights held in a heap array with f32 activations. Prefill decodes
 * a block of rows once into such an array and runs every token over it, so all formats share
 * these kernels there; the K-quants also use them for decode, after decoding the row.
 */
final class FloatKernels {
    private FloatKernels() {}

    /** Σ w[wOff+i]·x[xOff+i] for i < n, with four accumulators so the FMAs overlap. */
    static float dot(float[] w, int wOff, float[] x, int xOff, int n, float[] tmp) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i + 4 * L <= n; i += 4 * L) {
            a0 = FloatVector.fromArray(F, w, wOff + i).fma(FloatVector.fromArray(F, x, xOff + i), a0);
            a1 = FloatVector.fromArray(F, w, wOff + i + L).fma(FloatVector.fromArray(F, x, xOff + i + L), a1);
            a2 = FloatVector.fromArray(F, w, wOff + i + 2 * L).fma(FloatVector.fromArray(F, x, xOff + i + 2 * L), a2);
            a3 = FloatVector.fromArray(F, w, wOff + i + 3 * L).fma(FloatVector.fromArray(F, x, xOff + i + 3 * L), a3);
        }
        float sum = Simd.sum(tmp, a0.add(a1).add(a2.add(a3)));
        for (; i < n; i++) {
            sum += w[wOff + i] * x[xOff + i];
        }
        return sum;
    }

    /**
     * For t in 0..3: out[outOff + t*outStride] = Σ w[wOff+i]·x[xOff + t*xStride + i]. Each weight
     * vector is loaded once for the four tokens; two accumulators per token keep eight FMA chains.
     */
    static void dot4(float[] w, int wOff, float[] x, int xOff, int xStride, int n,
                     float[] out, int outOff, int outStride, float[] tmp) {
        FloatVector a0 = FloatVector.zero(F), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
        int i = 0;
        for (; i + 2 * L <= n; i += 2 * L) {
            FloatVector wa = FloatVector.fromArray(F, w, wOff + i);
            FloatVector wb = FloatVector.fromArray(F, w, wOff + i + L);
            int x0 = xOff + i;
            a0 = wa.fma(FloatVector.fromArray(F, x, x0), a0);
            b0 = wb.fma(FloatVector.fromArray(F, x, x0 + L), b0);
            a1 = wa.fma(FloatVector.fromArray(F, x, x0 + xStride), a1);
            b1 = wb.fma(FloatVector.fromArray(F, x, x0 + xStride + L), b1);
            a2 = wa.fma(FloatVector.fromArray(F, x, x0 + 2 * xStride), a2);
            b2 = wb.fma(FloatVector.fromArray(F, x, x0 + 2 * xStride + L), b2);
            a3 = wa.fma(FloatVector.fromArray(F, x, x0 + 3 * xStride), a3);
            b3 = wb.fma(FloatVector.fromArray(F, x, x0 + 3 * xStride + L), b3);
        }
        float s0 = Simd.sum(tmp, a0.add(b0)), s1 = Simd.sum(tmp, a1.add(b1));
        float s2 = Simd.sum(tmp, a2.add(b2)), s3 = Simd.sum(tmp, a3.add(b3));
        for (; i < n; i++) {
            float wi = w[wOff + i];
            int xi = xOff + i;
            s0 += wi * x[xi];
            s1 += wi * x[xi + xStride];
            s2 += wi * x[xi + 2 * xStride];
            s3 += wi * x[xi + 3 * xStride];
        }
        out[outOff] = s0;
        out[outOff + outStride] = s1;
        out[outOff + 2 * outStride] = s2;
        out[outOff + 3 * outStride] = s3;
    }
}
