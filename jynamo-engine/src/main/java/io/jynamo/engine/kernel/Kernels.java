package io.jynamo.engine.kernel;

/** Element-wise and reduction kernels of the forward pass (Vector API), each with a scalar twin. */
public final class Kernels {
    private Kernels() {}

    /** out = x / sqrt(mean(x^2) + eps) * weight, over n values. */
    public static void rmsnorm(float[] out, int outOff, float[] x, int xOff, float[] weight, int wOff, int n, float eps) {
        throw new UnsupportedOperationException("SKELETON: implemented by the attention helper");
    }

    /** gate[i] = silu(gate[i]) * up[i]. */
    public static void siluMul(float[] gate, int gOff, float[] up, int uOff, int n) {
        throw new UnsupportedOperationException("SKELETON");
    }

    /** dst[i] += src[i]. */
    public static void add(float[] dst, int dOff, float[] src, int sOff, int n) {
        throw new UnsupportedOperationException("SKELETON");
    }

    /** In-place softmax over x[off .. off+n). */
    public static void softmax(float[] x, int off, int n) {
        throw new UnsupportedOperationException("SKELETON");
    }
}
