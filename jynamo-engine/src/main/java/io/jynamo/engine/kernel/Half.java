package io.jynamo.engine.kernel;

import io.jynamo.engine.kv.KvCache;
import java.lang.foreign.MemorySegment;

/** IEEE half precision (f16) helpers: reads from the KV pool and rounding of floats, as ggml rounds. */
final class Half {
    private Half() {}

    static float get(MemorySegment seg, long offset) {
        return Float.float16ToFloat(seg.get(KvCache.F16, offset));
    }

    /** dst[dstOff + i] = src[srcOff + i] rounded to the nearest f16 (ties to even), as a float. */
    static void round(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = Float.float16ToFloat(Float.floatToFloat16(src[srcOff + i]));
        }
    }

    static float round(float x) {
        return Float.float16ToFloat(Float.floatToFloat16(x));
    }
}
