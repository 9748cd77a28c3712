package io.jynamo.engine.tensor;

/** Per-thread work arrays of the matmul kernels, grown on first need and then reused. */
final class Scratch {
    private static final ThreadLocal<Scratch> CURRENT = ThreadLocal.withInitial(Scratch::new);

    /** Room for one vector's lanes (fixed-order sums). */
    final float[] lanes = new float[Simd.L];
    /** Room for the lanes of four tokens' accumulators (multi-token kernels). */
    final float[] lanes4 = new float[4 * Simd.L];
    private float[] rows = new float[0];

    static Scratch get() {
        return CURRENT.get();
    }

    /** An array of at least n floats; its contents are garbage. */
    float[] rows(int n) {
        if (rows.length < n) {
            rows = new float[n];
        }
        return rows;
    }
}
