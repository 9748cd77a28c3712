package io.jynamo.engine.tensor;

import io.jynamo.engine.GgmlType;
import static io.jynamo.engine.tensor.Simd.F;
import static io.jynamo.engine.tensor.Simd.L;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;

/** Q8_0: blocks of 32 weights, an f16 scale d then 32 int8 q; weight = d * q. */
final class Q8_0Matrix extends WeightMatrix {
    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 34;

    Q8_0Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q8_0;
    }

    @Override
    public ActivationFormat activationFormat() {
        return ActivationFormat.Q8_0;
    }

    private FloatVector q(long off) {
        return Simd.bytesToFloats(data, off);
    }

    /**
     * Per block, Σ q·x is formed unscaled in two chains (vectors 0, 2 and 1, 3) and folded into
     * one accumulator with one FMA by d. The block code is written out here rather than in a
     * helper: a helper that C2 compiles on its own first is then too big to inline, and every
     * vector crossing the call would be boxed. For the same reason this method is kept above C2's
     * hot inlining limit (325 bytecodes; the eight-lane path and the general one together): were
     * it inlined into matmul, whose call site sees several formats, the kernels together would
     * overrun matmul's inlining budget (a 10x slowdown seen about one run in four).
     *
     * <p>On eight lanes the loop steps a long offset rather than an int block index: about 10%
     * faster, as C2 then keeps the row address in a register.
     */
    @Override
    protected float dot1(long rowOff, float[] x, int xOff, Scratch scratch) {
        MemorySegment seg = data;
        FloatVector acc = FloatVector.zero(F);
        if (L == 8) {
            long end = rowOff + rowBytes;
            int xo = xOff;
            for (long o = rowOff; o < end; o += BLOCK_BYTES, xo += BLOCK) {
                FloatVector p = Simd.bytesToFloats(seg, o + 2).mul(FloatVector.fromArray(F, x, xo));
                FloatVector r = Simd.bytesToFloats(seg, o + 10).mul(FloatVector.fromArray(F, x, xo + 8));
                p = Simd.bytesToFloats(seg, o + 18).fma(FloatVector.fromArray(F, x, xo + 16), p);
                r = Simd.bytesToFloats(seg, o + 26).fma(FloatVector.fromArray(F, x, xo + 24), r);
                acc = p.add(r).fma(FloatVector.broadcast(F, Simd.half(seg, o)), acc);
            }
            return Simd.sum(scratch.lanes, acc);
        }
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = rowOff + (long) b * BLOCK_BYTES;
            int xo = xOff + b * BLOCK;
            FloatVector p = Simd.bytesToFloats(seg, o + 2).mul(FloatVector.fromArray(F, x, xo));
            FloatVector r = Simd.bytesToFloats(seg, o + 2 + L).mul(FloatVector.fromArray(F, x, xo + L));
            for (int k = 2 * L; k < BLOCK; k += 2 * L) {
                p = Simd.bytesToFloats(seg, o + 2 + k).fma(FloatVector.fromArray(F, x, xo + k), p);
                r = Simd.bytesToFloats(seg, o + 2 + k + L).fma(FloatVector.fromArray(F, x, xo + k + L), r);
            }
            acc = p.add(r).fma(FloatVector.broadcast(F, Simd.half(seg, o)), acc);
        }
        return Simd.sum(scratch.lanes, acc);
    }

    @Override
    protected boolean hasDot4() {
        return L == 8;
    }

    /**
     * dot1Avx2 for four tokens: a block's four weight vectors and its scale are decoded once, then
     * each token does dot1's two chains and FMA. The loop runs over an int block index so that C2
     * can hoist the range checks of all sixteen activation loads out of it.
     */
    @Override
    protected void dot4(long rowOff, float[] x, int xOff, float[] lanes) {
        MemorySegment seg = data;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int n = cols;
        int y0 = xOff, y1 = xOff + n, y2 = xOff + 2 * n, y3 = xOff + 3 * n;
        for (int b = 0; b < n / BLOCK; b++) {
            long o = rowOff + (long) b * BLOCK_BYTES;
            FloatVector w0 = Simd.bytesToFloats(seg, o + 2);
            FloatVector w1 = Simd.bytesToFloats(seg, o + 10);
            FloatVector w2 = Simd.bytesToFloats(seg, o + 18);
            FloatVector w3 = Simd.bytesToFloats(seg, o + 26);
            FloatVector d = FloatVector.broadcast(F, Simd.half(seg, o));
            int k = b * BLOCK;
            a0 = w2.fma(FloatVector.fromArray(F, x, y0 + k + 16), w0.mul(FloatVector.fromArray(F, x, y0 + k)))
                    .add(w3.fma(FloatVector.fromArray(F, x, y0 + k + 24), w1.mul(FloatVector.fromArray(F, x, y0 + k + 8))))
                    .fma(d, a0);
            a1 = w2.fma(FloatVector.fromArray(F, x, y1 + k + 16), w0.mul(FloatVector.fromArray(F, x, y1 + k)))
                    .add(w3.fma(FloatVector.fromArray(F, x, y1 + k + 24), w1.mul(FloatVector.fromArray(F, x, y1 + k + 8))))
                    .fma(d, a1);
            a2 = w2.fma(FloatVector.fromArray(F, x, y2 + k + 16), w0.mul(FloatVector.fromArray(F, x, y2 + k)))
                    .add(w3.fma(FloatVector.fromArray(F, x, y2 + k + 24), w1.mul(FloatVector.fromArray(F, x, y2 + k + 8))))
                    .fma(d, a2);
            a3 = w2.fma(FloatVector.fromArray(F, x, y3 + k + 16), w0.mul(FloatVector.fromArray(F, x, y3 + k)))
                    .add(w3.fma(FloatVector.fromArray(F, x, y3 + k + 24), w1.mul(FloatVector.fromArray(F, x, y3 + k + 8))))
                    .fma(d, a3);
        }
        a0.intoArray(lanes, 0);
        a1.intoArray(lanes, L);
        a2.intoArray(lanes, 2 * L);
        a3.intoArray(lanes, 3 * L);
    }

    @Override
    protected void decodeRowVector(long rowOff, float[] dst, int dstOff) {
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = rowOff + (long) b * BLOCK_BYTES;
            FloatVector d = FloatVector.broadcast(F, Simd.half(data, o));
            for (int k = 0; k < BLOCK; k += L) {
                q(o + 2 + k).mul(d).intoArray(dst, dstOff + b * BLOCK + k);
            }
        }
    }

    @Override
    protected void decodeRow(long rowOff, float[] dst, int dstOff) {
        decode(data, rowOff, dst, dstOff, cols);
    }

    /** Scalar decode of n values (whole blocks) starting at byte {@code off}, as ggml's dequantize_row_q8_0. */
    static void decode(MemorySegment seg, long off, float[] dst, int dstOff, int n) {
        for (int b = 0; b < n / BLOCK; b++) {
            long o = off + (long) b * BLOCK_BYTES;
            float d = Simd.half(seg, o);
            for (int j = 0; j < BLOCK; j++) {
                dst[dstOff + b * BLOCK + j] = seg.get(ValueLayout.JAVA_BYTE, o + 2 + j) * d;
            }
        }
    }
}
