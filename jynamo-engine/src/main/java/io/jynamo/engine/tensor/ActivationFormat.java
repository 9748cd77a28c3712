package io.jynamo.engine.tensor;

import io.jynamo.engine.EngineException;

/**
 * How the activations multiplied against a weight type are rounded first. llama.cpp converts the
 * input of every matmul to its weight type's "vec_dot_type" (F16 for F16 weights, BF16 for BF16,
 * Q8_0 for Q8_0 and Q4_0, Q8_K for K-quants); doing the same keeps our logits next to its logits.
 * The rounded values stay floats (a Q8_0 value becomes q * d), so every matmul kernel is float math.
 */
public enum ActivationFormat {
    F32, F16, BF16, Q8_0, Q8_K;

    /** Values per block that {@link #round} needs whole: 32 for Q8_0, 256 for Q8_K, else 1. */
    public int blockSize() {
        return switch (this) {
            case Q8_0 -> 32;
            case Q8_K -> 256;
            default -> 1;
        };
    }

    /** Writes {@code src[srcOff .. srcOff+n)} rounded into {@code dst[dstOff ..)}; n is one row. */
    public void round(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        if (src == null || dst == null || n < 0 || srcOff < 0 || dstOff < 0
                || srcOff > src.length - n || dstOff > dst.length - n) {
            throw EngineException.badInput("rounding " + n + " activations to " + this + " needs arrays that hold them");
        }
        if (n % blockSize() != 0) {
            throw EngineException.badInput(this + " activations come in blocks of " + blockSize() + ", got a row of " + n);
        }
        switch (this) {
            case F32 -> System.arraycopy(src, srcOff, dst, dstOff, n);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    dst[dstOff + i] = Fp.roundHalf(src[srcOff + i]);
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    dst[dstOff + i] = Fp.bf16ToFloat(Fp.toBf16(src[srcOff + i]));
                }
            }
            case Q8_0 -> {
                for (int b = 0; b < n; b += 32) {
                    roundQ8_0(src, srcOff + b, dst, dstOff + b);
                }
            }
            case Q8_K -> {
                for (int b = 0; b < n; b += 256) {
                    roundQ8_K(src, srcOff + b, dst, dstOff + b);
                }
            }
        }
    }

    /**
     * One block of 32 as llama.cpp's x86 quantize_row_q8_0 does it (the reference C differs): the
     * multiplier is 127/amax (not 1/d), values are rounded half-to-even (vroundps), and the scale
     * d = amax/127 is stored as f16, so the value seen by the dot product is q * f16(d).
     */
    private static void roundQ8_0(float[] src, int s, float[] dst, int o) {
        float amax = 0;
        for (int j = 0; j < 32; j++) {
            amax = Math.max(amax, Math.abs(src[s + j]));
        }
        float d = Fp.roundHalf(amax / 127f);
        float id = amax != 0 ? 127f / amax : 0f;
        for (int j = 0; j < 32; j++) {
            int q = Math.clamp((int) Math.rint(src[s + j] * id), -128, 127);
            dst[o + j] = q * d;
        }
    }

    /**
     * One block of 256 as ggml's quantize_row_q8_K: the scale comes from the signed value of largest
     * magnitude (the first such), iscale = -127/max, q = nearest_int(iscale*x) capped at 127, and
     * d = 1/iscale stays an f32.
     */
    private static void roundQ8_K(float[] src, int s, float[] dst, int o) {
        float amax = 0;
        float max = 0;
        for (int j = 0; j < 256; j++) {
            float ax = Math.abs(src[s + j]);
            if (ax > amax) {
                amax = ax;
                max = src[s + j];
            }
        }
        if (amax == 0) {
            java.util.Arrays.fill(dst, o, o + 256, 0f);
            return;
        }
        float iscale = -127f / max;
        float d = 1 / iscale;
        for (int j = 0; j < 256; j++) {
            int q = Math.min(127, Fp.nearestInt(iscale * src[s + j]));
            dst[o + j] = q * d;
        }
    }
}
