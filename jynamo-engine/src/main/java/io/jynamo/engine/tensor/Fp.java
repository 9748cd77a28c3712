package io.jynamo.engine.tensor;

/** Scalar conversions between f32 and the 16-bit float formats, rounding as ggml does. */
final class Fp {
    private Fp() {}

    /** f32 to IEEE half, round-to-nearest-even (what F16C's vcvtps2ph does in ggml). */
    static short toHalf(float f) {
        return Float.floatToFloat16(f);
    }

    static float halfToFloat(short h) {
        return Float.float16ToFloat(h);
    }

    /** f32 to bfloat16 bits, round-to-nearest-even; NaN stays NaN (made quiet), as in ggml. */
    static short toBf16(float f) {
        int u = Float.floatToRawIntBits(f);
        if ((u & 0x7fffffff) > 0x7f800000) {
            return (short) ((u >>> 16) | 64);
        }
        return (short) ((u + 0x7fff + ((u >>> 16) & 1)) >>> 16);
    }

    static float bf16ToFloat(short b) {
        return Float.intBitsToFloat((b & 0xffff) << 16);
    }

    /** The float a value becomes after a trip through half precision. */
    static float roundHalf(float f) {
        return halfToFloat(toHalf(f));
    }

    /** ggml's nearest_int: round half to even (for |v| < 2^22, the only range it is used on). */
    static int nearestInt(float v) {
        return (int) Math.rint(v);
    }

    /** C's roundf: half away from zero. Done in double so that v + 0.5 cannot round up. */
    static int roundAway(float v) {
        double r = Math.floor(Math.abs((double) v) + 0.5);
        return (int) Math.copySign(r, v);
    }
}
