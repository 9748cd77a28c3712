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
    protected float dot1(long rowOff, float[] x, int xOff) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i + 4 * L <= cols; i += 4 * L) {
            long o = rowOff + 2L * i;
            a0 = w(o).fma(FloatVector.fromArray(F, x, xOff + i), a0);
            a1 = w(o + 2L * L).fma(FloatVector.fromArray(F, x, xOff + i + L), a1);
            a2 = w(o + 4L * L).fma(FloatVector.fromArray(F, x, xOff + i + 2 * L), a2);
            a3 = w(o + 6L * L).fma(FloatVector.fromArray(F, x, xOff + i + 3 * L), a3);
        }
        float sum = Simd.sum(a0.add(a1).add(a2.add(a3)));
        for (; i < cols; i++) {
            sum += Fp.halfToFloat(data.get(Simd.I16_LE, rowOff + 2L * i)) * x[xOff + i];
        }
        return sum;
    }

    @Override
    protected void dot4(long rowOff, float[] x, int xOff, float[] out, int outOff, int outStride) {
        int c = cols;
        FloatVector a0 = FloatVector.zero(F), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
        int i = 0;
        for (; i + 2 * L <= c; i += 2 * L) {
            long o = rowOff + 2L * i;
            FloatVector wa = w(o);
            FloatVector wb = w(o + 2L * L);
            int x0 = xOff + i;
            a0 = wa.fma(FloatVector.fromArray(F, x, x0), a0);
            b0 = wb.fma(FloatVector.fromArray(F, x, x0 + L), b0);
            a1 = wa.fma(FloatVector.fromArray(F, x, x0 + c), a1);
            b1 = wb.fma(FloatVector.fromArray(F, x, x0 + c + L), b1);
            a2 = wa.fma(FloatVector.fromArray(F, x, x0 + 2 * c), a2);
            b2 = wb.fma(FloatVector.fromArray(F, x, x0 + 2 * c + L), b2);
            a3 = wa.fma(FloatVector.fromArray(F, x, x0 + 3 * c), a3);
            b3 = wb.fma(FloatVector.fromArray(F, x, x0 + 3 * c + L), b3);
        }
        float s0 = Simd.sum(a0.add(b0)), s1 = Simd.sum(a1.add(b1)), s2 = Simd.sum(a2.add(b2)), s3 = Simd.sum(a3.add(b3));
        for (; i < c; i++) {
            float wi = Fp.halfToFloat(data.get(Simd.I16_LE, rowOff + 2L * i));
            int xi = xOff + i;
            s0 += wi * x[xi];
            s1 += wi * x[xi + c];
            s2 += wi * x[xi + 2 * c];
            s3 += wi * x[xi + 3 * c];
        }
        out[outOff] = s0;
        out[outOff + outStride] = s1;
        out[outOff + 2 * outStride] = s2;
        out[outOff + 3 * outStride] = s3;
    }

    @Override
    protected void decodeRow(long rowOff, float[] dst, int dstOff) {
        for (int i = 0; i < cols; i++) {
            dst[dstOff + i] = Fp.halfToFloat(data.get(Simd.I16_LE, rowOff + 2L * i));
        }
    }
}
