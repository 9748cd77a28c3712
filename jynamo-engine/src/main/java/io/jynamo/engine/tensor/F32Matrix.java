package io.jynamo.engine.tensor;

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

    private FloatVector w(long off) {
        return FloatVector.fromMemorySegment(F, data, off, LE);
    }

    @Override
    protected float dot1(long rowOff, float[] x, int xOff, Scratch scratch) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i + 4 * L <= cols; i += 4 * L) {
            long o = rowOff + 4L * i;
            a0 = w(o).fma(FloatVector.fromArray(F, x, xOff + i), a0);
            a1 = w(o + 4L * L).fma(FloatVector.fromArray(F, x, xOff + i + L), a1);
            a2 = w(o + 8L * L).fma(FloatVector.fromArray(F, x, xOff + i + 2 * L), a2);
            a3 = w(o + 12L * L).fma(FloatVector.fromArray(F, x, xOff + i + 3 * L), a3);
        }
        float sum = Simd.sum(scratch.lanes, a0.add(a1).add(a2.add(a3)));
        for (; i < cols; i++) {
            sum += data.get(Simd.F32_LE, rowOff + 4L * i) * x[xOff + i];
        }
        return sum;
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
