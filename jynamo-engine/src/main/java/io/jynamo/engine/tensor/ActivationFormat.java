package io.jynamo.engine.tensor;

/**
 * How the activations multiplied against a weight type are rounded first. llama.cpp converts the
 * input of every matmul to its weight type's "vec_dot_type" (F16 for F16 weights, BF16 for BF16,
 * Q8_0 for Q8_0 and Q4_0, Q8_K for K-quants); doing the same keeps our logits next to its logits.
 * The rounded values stay floats (a Q8_0 value becomes q * d), so every matmul kernel is float math.
 */
public enum ActivationFormat {
    F32, F16, BF16, Q8_0, Q8_K;

    /** Writes {@code src[srcOff .. srcOff+n)} rounded into {@code dst[dstOff ..)}; n is one row. */
    public void round(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        throw new UnsupportedOperationException("SKELETON: implemented by the kernels helper");
    }
}
