package io.jynamo.engine.tensor;

import io.jynamo.engine.GgmlType;
import static io.jynamo.engine.tensor.Simd.F;
import static io.jynamo.engine.tensor.Simd.L;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/** bfloat16 weights (the upper half of an f32); inputs are rounded to bf16 as llama.cpp does. */
final class BF16Matrix extends WeightMatrix {
    BF16Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.BF16;
    }

    @Override
    public ActivationFormat activationFormat() {
        return ActivationFormat.BF16;
    }

    private FloatVector w(long off) {
        return Simd.bf16ToFloats(data, off);
    }

    /**
     * Two accumulators (even and odd vectors), then the lanes' sum, then a scalar tail. Two rather
     * than four so that {@link #dot4} fits four tokens' accumulators in AVX2's registers. The
     * eight-lane path and the general one together keep this method above C2's hot inlining limit
     * (see {@link Q8_0Matrix#dot1}).
     */
    @Override
    protected float dot1(long rowOff, float[] x, int xOff, Scratch scratch) {
        MemorySegment seg = data;
        FloatVector a0 = FloatVector.zero(F), a1 = a0;
        int i = 0;
        if (L == 8) {
            // Two steps per iteration; each accumulator still takes every other vector in order.
            for (; i + 32 <= cols; i += 32) {
                long o = rowOff + 2L * i;
                a0 = Simd.bf16ToFloats(seg, o).fma(FloatVector.fromArray(F, x, xOff + i), a0);
                a1 = Simd.bf16ToFloats(seg, o + 16).fma(FloatVector.fromArray(F, x, xOff + i + 8), a1);
                a0 = Simd.bf16ToFloats(seg, o + 32).fma(FloatVector.fromArray(F, x, xOff + i + 16), a0);
                a1 = Simd.bf16ToFloats(seg, o + 48).fma(FloatVector.fromArray(F, x, xOff + i + 24), a1);
            }
            if (i + 16 <= cols) {
                long o = rowOff + 2L * i;
                a0 = Simd.bf16ToFloats(seg, o).fma(FloatVector.fromArray(F, x, xOff + i), a0);
                a1 = Simd.bf16ToFloats(seg, o + 16).fma(FloatVector.fromArray(F, x, xOff + i + 8), a1);
                i += 16;
            }
        } else {
            for (; i + 2 * L <= cols; i += 2 * L) {
                long o = rowOff + 2L * i;
                a0 = Simd.bf16ToFloats(seg, o).fma(FloatVector.fromArray(F, x, xOff + i), a0);
                a1 = Simd.bf16ToFloats(seg, o + 2L * L).fma(FloatVector.fromArray(F, x, xOff + i + L), a1);
            }
        }
        float sum = Simd.sum(scratch.lanes, a0.add(a1));
        for (; i < cols; i++) {
            sum += Fp.bf16ToFloat(seg.get(Simd.I16_LE, rowOff + 2L * i)) * x[xOff + i];
        }
        return sum;
    }

    @Override
    protected boolean hasDot4() {
        return L == 8 && cols % 16 == 0;
    }

    /** dot1 for four tokens: each pair of weight vectors is widened from bf16 once and used by all four. */
    @Override
    protected void dot4(long rowOff, float[] x, int xOff, float[] lanes) {
        MemorySegment seg = data;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, b0 = a0, b1 = a0, c0 = a0, c1 = a0, d0 = a0, d1 = a0;
        int n = cols;
        int y0 = xOff, y1 = xOff + n, y2 = xOff + 2 * n, y3 = xOff + 3 * n;
        for (int i = 0; i < n; i += 16) {
            long o = rowOff + 2L * i;
            FloatVector w0 = Simd.bf16ToFloats(seg, o);
            FloatVector w1 = Simd.bf16ToFloats(seg, o + 16);
            a0 = w0.fma(FloatVector.fromArray(F, x, y0 + i), a0);
            a1 = w1.fma(FloatVector.fromArray(F, x, y0 + i + 8), a1);
            b0 = w0.fma(FloatVector.fromArray(F, x, y1 + i), b0);
            b1 = w1.fma(FloatVector.fromArray(F, x, y1 + i + 8), b1);
            c0 = w0.fma(FloatVector.fromArray(F, x, y2 + i), c0);
            c1 = w1.fma(FloatVector.fromArray(F, x, y2 + i + 8), c1);
            d0 = w0.fma(FloatVector.fromArray(F, x, y3 + i), d0);
            d1 = w1.fma(FloatVector.fromArray(F, x, y3 + i + 8), d1);
        }
        a0.add(a1).intoArray(lanes, 0);
        b0.add(b1).intoArray(lanes, L);
        c0.add(c1).intoArray(lanes, 2 * L);
        d0.add(d1).intoArray(lanes, 3 * L);
    }

    @Override
    protected void decodeRowVector(long rowOff, float[] dst, int dstOff) {
        int i = 0;
        for (; i + L <= cols; i += L) {
            w(rowOff + 2L * i).intoArray(dst, dstOff + i);
        }
        for (; i < cols; i++) {
            dst[dstOff + i] = Fp.bf16ToFloat(data.get(Simd.I16_LE, rowOff + 2L * i));
        }
    }

    @Override
    protected void decodeRow(long rowOff, float[] dst, int dstOff) {
        for (int i = 0; i < cols; i++) {
            dst[dstOff + i] = Fp.bf16ToFloat(data.get(Simd.I16_LE, rowOff + 2L * i));
        }
    }
}
