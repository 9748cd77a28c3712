package io.jynamo.engine.tensor;

import static io.jynamo.engine.tensor.Simd.F;
import static io.jynamo.engine.tensor.Simd.L;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/** IEEE half weights, widened to f32 in registers; inputs are rounded to half as llama.cpp does. */
final class F16Matrix extends WeightMatrix {
    F16Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.F16;
    }

    @Override
    public ActivationFormat activationFormat() {
        return ActivationFormat.F16;
    }

    private FloatVector w(long off) {
        return Simd.halvesToFloats(data, off);
    }

    @Override
    protected float dot1(long rowOff, float[] x, int xOff, Scratch scratch) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i + 4 * L <= cols; i += 4 * L) {
            long o = rowOff + 2L * i;
            a0 = w(o).fma(FloatVector.fromArray(F, x, xOff + i), a0);
            a1 = w(o + 2L * L).fma(FloatVector.fromArray(F, x, xOff + i + L), a1);
            a2 = w(o + 4L * L).fma(FloatVector.fromArray(F, x, xOff + i + 2 * L), a2);
            a3 = w(o + 6L * L).fma(FloatVector.fromArray(F, x, xOff + i + 3 * L), a3);
        }
        float sum = Simd.sum(scratch.lanes, a0.add(a1).add(a2.add(a3)));
        for (; i < cols; i++) {
            sum += Fp.halfToFloat(data.get(Simd.I16_LE, rowOff + 2L * i)) * x[xOff + i];
        }
        return sum;
    }

    @Override
    protected void decodeRowVector(long rowOff, float[] dst, int dstOff) {
        int i = 0;
        for (; i + L <= cols; i += L) {
            w(rowOff + 2L * i).intoArray(dst, dstOff + i);
        }
        for (; i < cols; i++) {
            dst[dstOff + i] = Fp.halfToFloat(data.get(Simd.I16_LE, rowOff + 2L * i));
        }
    }

    @Override
    protected void decodeRow(long rowOff, float[] dst, int dstOff) {
        for (int i = 0; i < cols; i++) {
            dst[dstOff + i] = Fp.halfToFloat(data.get(Simd.I16_LE, rowOff + 2L * i));
        }
    }
}
