package io.jynamo.engine.kernel;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inner loops of paged attention over one block of one KV head, decoded to floats, for up to
 * four query heads at a time (one load of a key or value feeds four fmas; with fewer heads the
 * missing ones repeat the last head's work, which costs nothing as the loops are latency-bound).
 *
 * <p>The arithmetic is fixed so that results do not depend on the block size, the vector length or
 * how heads are grouped: a score is (sum over d, in order, of q[d] * k[d]) * scale, and an output is
 * the sum over positions, in order, of p * v. All of q, k, p, v are f16 values, so their products
 * are exact in float and fma rounds exactly as mul then add: the vector lanes and the scalar tails
 * compute the same bits as the plain loops of {@link Attention#contiguousScalar}.
 */
final class AttentionLoops {
    private static final VectorSpecies<Float> F = Kernels.F;
    private static final int L = F.length();

    private AttentionLoops() {}

    /**
     * For heads g in [0, heads), heads &lt;= 4: s[sOff + g * sStride + t] = scale * q_g · K_t for the
     * first {@code slots} slots, with q_g at q[qOff + g * headDim] and the keys at buf[bOff]
     * ([headDim][blockSize]).
     */
    static void scores(float[] buf, int bOff, int blockSize, int headDim, float[] q, int qOff, int heads,
                       int slots, float scale, float[] s, int sOff, int sStride) {
        int q0 = qOff;
        int q1 = qOff + Math.min(1, heads - 1) * headDim;
        int q2 = qOff + Math.min(2, heads - 1) * headDim;
        int q3 = qOff + Math.min(3, heads - 1) * headDim;
        int t = 0;
        for (; t + L <= blockSize && t < slots; t += L) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int d = 0, k = bOff + t; d < headDim; d++, k += blockSize) {
                FloatVector key = FloatVector.fromArray(F, buf, k);
                a0 = key.fma(FloatVector.broadcast(F, q[q0 + d]), a0);
                a1 = key.fma(FloatVector.broadcast(F, q[q1 + d]), a1);
                a2 = key.fma(FloatVector.broadcast(F, q[q2 + d]), a2);
                a3 = key.fma(FloatVector.broadcast(F, q[q3 + d]), a3);
            }
            int valid = slots - t;
            store(a0.mul(scale), s, sOff + t, valid);
            if (heads > 1) store(a1.mul(scale), s, sOff + sStride + t, valid);
            if (heads > 2) store(a2.mul(scale), s, sOff + 2 * sStride + t, valid);
            if (heads > 3) store(a3.mul(scale), s, sOff + 3 * sStride + t, valid);
        }
        for (; t < slots; t++) {
            for (int g = 0; g < heads; g++) {
                float dot = 0;
                for (int d = 0, k = bOff + t, qg = qOff + g * headDim; d < headDim; d++, k += blockSize) {
                    dot += q[qg + d] * buf[k];
                }
                s[sOff + g * sStride + t] = dot * scale;
            }
        }
    }

    /** Lanes past the block's last valid slot hold garbage and are not stored. */
    private static void store(FloatVector v, float[] s, int sOff, int valid) {
        if (valid >= L) {
            v.intoArray(s, sOff);
        } else {
            v.intoArray(s, sOff, F.indexInRange(0, valid));
        }
    }

    /**
     * For heads g in [0, heads), heads &lt;= 4: out[outOff + g * headDim + d] += sum over t &lt; slots of
     * p[pOff + g * pStride + t] * V_t[d], with the values at buf[bOff] ([slots][headDim]).
     */
    static void values(float[] buf, int bOff, int headDim, float[] p, int pOff, int pStride, int heads, int slots,
                       float[] out, int outOff) {
        int p0 = pOff;
        int p1 = pOff + Math.min(1, heads - 1) * pStride;
        int p2 = pOff + Math.min(2, heads - 1) * pStride;
        int p3 = pOff + Math.min(3, heads - 1) * pStride;
        int o0 = outOff;
        int o1 = outOff + Math.min(1, heads - 1) * headDim;
        int o2 = outOff + Math.min(2, heads - 1) * headDim;
        int o3 = outOff + Math.min(3, heads - 1) * headDim;
        int d = 0;
        for (; d + L <= headDim; d += L) {
            FloatVector a0 = FloatVector.fromArray(F, out, o0 + d);
            FloatVector a1 = FloatVector.fromArray(F, out, o1 + d);
            FloatVector a2 = FloatVector.fromArray(F, out, o2 + d);
            FloatVector a3 = FloatVector.fromArray(F, out, o3 + d);
            for (int t = 0, v = bOff + d; t < slots; t++, v += headDim) {
                FloatVector value = FloatVector.fromArray(F, buf, v);
                a0 = value.fma(FloatVector.broadcast(F, p[p0 + t]), a0);
                a1 = value.fma(FloatVector.broadcast(F, p[p1 + t]), a1);
                a2 = value.fma(FloatVector.broadcast(F, p[p2 + t]), a2);
                a3 = value.fma(FloatVector.broadcast(F, p[p3 + t]), a3);
            }
            a0.intoArray(out, o0 + d);
            if (heads > 1) a1.intoArray(out, o1 + d);
            if (heads > 2) a2.intoArray(out, o2 + d);
            if (heads > 3) a3.intoArray(out, o3 + d);
        }
        for (; d < headDim; d++) {
            for (int g = 0; g < heads; g++) {
                int o = outOff + g * headDim + d;
                float a = out[o];
                for (int t = 0, v = bOff + d, pg = pOff + g * pStride; t < slots; t++, v += headDim) {
                    a += p[pg + t] * buf[v];
                }
                out[o] = a;
            }
        }
    }

    /**
     * buf[bOff ..+n) = the n f16 values at mem[at ..] as floats. A plain loop on purpose: C2 turns it
     * into vector f16 conversions (vcvtph2ps), several times faster than decoding bits with the
     * Vector API, which has no f16 lanes.
     */
    static void decode(MemorySegment mem, long at, int n, float[] buf, int bOff) {
        for (int i = 0; i < n; i++) {
            buf[bOff + i] = Half.get(mem, at + 2L * i);
        }
    }
}
