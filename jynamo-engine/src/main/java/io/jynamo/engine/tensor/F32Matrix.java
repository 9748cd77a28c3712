package io.jynamo.engine.tensor;

import io.jynamo.engine.GgmlType;
import static io.jynamo.engine.tensor.Simd.F;
import static io.jynamo.engine.tensor.Simd.L;
import static io.jynamo.engine.tensor.Simd.LE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/** Plain f32 weights. */
final class F32Matrix extends WeightMatrix {
    F32Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.F32;
    }

    @Override
    public ActivationFormat activationFormat() {
        return ActivationFormat.F32;
    }

    private static FloatVector w(MemorySegment seg, long off) {
        return FloatVector.fromMemorySegment(F, seg, off, LE);
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
                long o = rowOff + 4L * i;
                a0 = w(seg, o).fma(FloatVector.fromArray(F, x, xOff + i), a0);
                a1 = w(seg, o + 32).fma(FloatVector.fromArray(F, x, xOff + i + 8), a1);
                a0 = w(seg, o + 64).fma(FloatVector.fromArray(F, x, xOff + i + 16), a0);
                a1 = w(seg, o + 96).fma(FloatVector.fromArray(F, x, xOff + i + 24), a1);
            }
            if (i + 16 <= cols) {
                long o = rowOff + 4L * i;
                a0 = w(seg, o).fma(FloatVector.fromArray(F, x, xOff + i), a0);
                a1 = w(seg, o + 32).fma(FloatVector.fromArray(F, x, xOff + i + 8), a1);
                i += 16;
            }
        } else {
            for (; i + 2 * L <= cols; i += 2 * L) {
                long o = rowOff + 4L * i;
                a0 = w(seg, o).fma(FloatVector.fromArray(F, x, xOff + i), a0);
                a1 = w(seg, o + 4L * L).fma(FloatVector.fromArray(F, x, xOff + i + L), a1);
            }
        }
        float sum = Simd.sum(scratch.lanes, a0.add(a1));
        for (; i < cols; i++) {
            sum += seg.get(Simd.F32_LE, rowOff + 4L * i) * x[xOff + i];
        }
        return sum;
    }

    @Override
    protected boolean hasDot4() {
        return L == 8 && cols % 16 == 0;
    }

    /** dot1 for four tokens: each pair of weight vectors is loaded once and used by all four. */
    @Override
    protected void dot4(long rowOff, float[] x, int xOff, float[] lanes) {
        MemorySegment seg = data;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, b0 = a0, b1 = a0, c0 = a0, c1 = a0, d0 = a0, d1 = a0;
        int n = cols;
        int y0 = xOff, y1 = xOff + n, y2 = xOff + 2 * n, y3 = xOff + 3 * n;
        for (int i = 0; i < n; i += 16) {
            long o = rowOff + 4L * i;
            FloatVector w0 = w(seg, o);
            FloatVector w1 = w(seg, o + 32);
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
        decodeRow(rowOff, dst, dstOff);
    }

    @Override
    protected void decodeRow(long rowOff, float[] dst, int dstOff) {
        MemorySegment.copy(data, Simd.F32_LE, rowOff, dst, dstOff, cols);
    }
}
