package io.jynamo.engine.tensor;

import java.nio.ByteBuffer;

/** The block encoders behind {@link Quantizer}; each writes one block little-endian and advances. */
final class KQuantizer {
    private KQuantizer() {}

    /** ggml's quantize_row_q8_0_ref: d = amax/127, q = roundf(x/d). */
    static void q8_0(float[] x, int s, ByteBuffer out) {
        float amax = 0;
        for (int j = 0; j < 32; j++) {
            amax = Math.max(amax, Math.abs(x[s + j]));
        }
        float d = amax / 127f;
        float id = d != 0 ? 1f / d : 0f;
        out.putShort(Fp.toHalf(d));
        for (int j = 0; j < 32; j++) {
            out.put((byte) Fp.roundAway(x[s + j] * id));
        }
    }

    /** ggml's quantize_row_q4_0_ref: the value of largest magnitude maps to -8; q = trunc(x/d + 8.5) capped at 15. */
    static void q4_0(float[] x, int s, ByteBuffer out) {
        float max = signedMax(x, s, 32);
        float d = max / -8f;
        float id = d != 0 ? 1f / d : 0f;
        out.putShort(Fp.toHalf(d));
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(15, (int) (x[s + j] * id + 8.5f));
            int hi = Math.min(15, (int) (x[s + 16 + j] * id + 8.5f));
            out.put((byte) (lo | (hi << 4)));
        }
    }

    /** The element of largest magnitude, with its sign (the first one on ties). */
    private static float signedMax(float[] x, int s, int n) {
        float amax = 0;
        float max = 0;
        for (int j = 0; j < n; j++) {
            float a = Math.abs(x[s + j]);
            if (a > amax) {
                amax = a;
                max = x[s + j];
            }
        }
        return max;
    }

    /**
     * Q4_K with min/max per sub-block of 32: x ≈ scale*q - min, q in 0..15, min = -min(0, lowest),
     * scale = (highest + min) / 15.
     * Scales and mins are then quantised to 6 bits against the super-block's f16 d and dmin, and
     * the weights re-quantised against the decoded scales, as ggml does in its last step.
     */
    static void q4K(float[] x, int s, ByteBuffer out) {
        float[] scales = new float[8];
        float[] mins = new float[8];
        float maxScale = 0, maxMin = 0;
        for (int j = 0; j < 8; j++) {
            // The offset -dmin*m can only lower values, so the range starts at or below 0; its top
            // is the largest value, negative or not.
            float lo = 0, hi = x[s + 32 * j];
            for (int l = 0; l < 32; l++) {
                lo = Math.min(lo, x[s + 32 * j + l]);
                hi = Math.max(hi, x[s + 32 * j + l]);
            }
            scales[j] = (hi - lo) / 15f;
            mins[j] = -lo;
            maxScale = Math.max(maxScale, scales[j]);
            maxMin = Math.max(maxMin, mins[j]);
        }
        float invScale = maxScale > 0 ? 63f / maxScale : 0f;
        float invMin = maxMin > 0 ? 63f / maxMin : 0f;
        byte[] packed = new byte[12];
        int[] ls = new int[8];
        int[] lm = new int[8];
        for (int j = 0; j < 8; j++) {
            ls[j] = Math.min(63, Fp.nearestInt(invScale * scales[j]));
            lm[j] = Math.min(63, Fp.nearestInt(invMin * mins[j]));
            if (j < 4) {
                packed[j] = (byte) ls[j];
                packed[j + 4] = (byte) lm[j];
            } else {
                packed[j + 4] = (byte) ((ls[j] & 0xF) | ((lm[j] & 0xF) << 4));
                packed[j - 4] |= (byte) ((ls[j] >> 4) << 6);
                packed[j] |= (byte) ((lm[j] >> 4) << 6);
            }
        }
        short dh = Fp.toHalf(maxScale / 63f);
        short mh = Fp.toHalf(maxMin / 63f);
        out.putShort(dh).putShort(mh).put(packed);
        int[] q = new int[256];
        for (int j = 0; j < 8; j++) {
            float d = Fp.halfToFloat(dh) * ls[j];
            if (d == 0) {
                continue;
            }
            float dm = Fp.halfToFloat(mh) * lm[j];
            for (int l = 0; l < 32; l++) {
                q[32 * j + l] = Math.clamp(Fp.nearestInt((x[s + 32 * j + l] + dm) / d), 0, 15);
            }
        }
        for (int g = 0; g < 4; g++) {
            for (int l = 0; l < 32; l++) {
                out.put((byte) (q[64 * g + l] | (q[64 * g + 32 + l] << 4)));
            }
        }
    }

    /**
     * Q6_K: each 16 weights get scale = signed max / -32 (the largest maps to -32), the scales are
     * quantised to int8 against d = max scale / -128 (ggml's convention), then the weights to
     * q in -32..31 against the decoded scales and stored as q + 32.
     */
    static void q6K(float[] x, int s, ByteBuffer out) {
        float[] scales = new float[16];
        float maxScale = 0, maxAbsScale = 0;
        for (int ib = 0; ib < 16; ib++) {
            scales[ib] = signedMax(x, s + 16 * ib, 16) / -32f;
            if (Math.abs(scales[ib]) > maxAbsScale) {
                maxAbsScale = Math.abs(scales[ib]);
                maxScale = scales[ib];
            }
        }
        byte[] block = new byte[210];
        if (maxAbsScale == 0) {
            out.put(block);
            return;
        }
        float iscale = -128f / maxScale;
        short dh = Fp.toHalf(1 / iscale);
        int[] q = new int[256];
        for (int ib = 0; ib < 16; ib++) {
            byte sc = (byte) Math.min(127, Fp.nearestInt(iscale * scales[ib]));
            block[192 + ib] = sc;
            float d = Fp.halfToFloat(dh) * sc;
            for (int l = 0; l < 16; l++) {
                q[16 * ib + l] = d == 0 ? 32 : Math.clamp(Fp.nearestInt(x[s + 16 * ib + l] / d), -32, 31) + 32;
            }
        }
        for (int half = 0; half < 2; half++) {
            int ql = 64 * half, qh = 128 + 32 * half, y = 128 * half;
            for (int l = 0; l < 32; l++) {
                int q1 = q[y + l], q2 = q[y + l + 32], q3 = q[y + l + 64], q4 = q[y + l + 96];
                block[ql + l] = (byte) ((q1 & 0xF) | ((q3 & 0xF) << 4));
                block[ql + l + 32] = (byte) ((q2 & 0xF) | ((q4 & 0xF) << 4));
                block[qh + l] = (byte) ((q1 >> 4) | ((q2 >> 4) << 2) | ((q3 >> 4) << 4) | ((q4 >> 4) << 6));
            }
        }
        block[208] = (byte) dh;
        block[209] = (byte) (dh >> 8);
        out.put(block);
    }
}
