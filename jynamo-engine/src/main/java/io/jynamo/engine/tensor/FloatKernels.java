package io.jynamo.engine.tensor;

import static io.jynamo.engine.tensor.Simd.F;
import static io.jynamo.engine.tensor.Simd.L;

import jdk.incubator.vector.FloatVector;

/**
 * Dot products of decoded (f32) weights held in a heap array with f32 activations: the K-quants
 * decode a row into such an array, then run each token over it.
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
}
