package io.jynamo.engine.tensor;

import io.jynamo.engine.GgmlType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jynamo.engine.EngineException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WeightMatrixTest {
    private static final int[] TOKEN_COUNTS = {1, 3, 4, 8, 17};

    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void matmulMatchesScalarReferenceInNativeMemory(GgmlType type) {
        checkMatmul(type, 37, 512, false, 11);
    }

    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void matmulMatchesScalarReferenceOnTheHeap(GgmlType type) {
        checkMatmul(type, 9, 768, true, 12);
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16"})
    void unquantisedTypesHandleColumnsThatAreNotWholeVectors(GgmlType type) {
        checkMatmul(type, 7, 203, false, 13);
        checkMatmul(type, 5, 3, true, 14);
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q8_0", "Q4_0"})
    void smallBlockTypesHandleAnOddNumberOfBlocks(GgmlType type) {
        checkMatmul(type, 6, 96, false, 15);
    }

    /**
     * matmul over rows [2, rows-1) with outStride > rows equals dotScalar within float rounding of
     * a differently ordered sum, and leaves every other output slot alone.
     */
    private static void checkMatmul(GgmlType type, int rows, int cols, boolean heap, long seed) {
        WeightMatrix m = TestData.randomMatrix(type, rows, cols, seed, heap);
        int r0 = Math.min(2, rows - 1), r1 = rows - 1;
        int stride = rows + 5;
        for (int nTokens : TOKEN_COUNTS) {
            float[] x = TestData.activations(m, nTokens, seed * 31 + nTokens);
            float[] out = new float[nTokens * stride];
            Arrays.fill(out, Float.NaN);
            m.matmul(x, nTokens, out, stride, r0, r1);
            float[] w = new float[cols];
            for (int t = 0; t < nTokens; t++) {
                for (int r = 0; r < stride; r++) {
                    float got = out[t * stride + r];
                    if (r < r0 || r >= r1) {
                        assertTrue(Float.isNaN(got), type + ": slot " + r + " of token " + t + " was written");
                        continue;
                    }
                    m.dequantizeRow(r, w, 0);
                    double magnitude = 0;
                    for (int i = 0; i < cols; i++) {
                        magnitude += Math.abs(w[i] * x[t * cols + i]);
                    }
                    float want = m.dotScalar(r, x, t * cols);
                    assertEquals(want, got, 2e-5 * magnitude + 1e-6,
                            type + " " + rows + "x" + cols + " nTokens=" + nTokens + " t=" + t + " r=" + r);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void dequantizeRowAgreesWithTheQuantizersDecoder(GgmlType type) {
        int rows = 3, cols = 256;
        float[] src = TestData.gaussian(new java.util.Random(5), rows * cols, 1f);
        byte[] bytes = Quantizer.quantize(type, src, rows, cols);
        WeightMatrix m = WeightMatrix.of(type, TestData.segment(bytes, false), rows, cols);
        float[] got = new float[cols + 4];
        m.dequantizeRow(2, got, 4);
        float[] want = Quantizer.dequantizeRow(type, bytes, (int) (2 * type.byteSize(cols)), cols);
        assertEquals(Arrays.toString(want), Arrays.toString(Arrays.copyOfRange(got, 4, cols + 4)));
    }

    /** Prefill multiplies vector-decoded weights, so they must be the scalar decoder's bit for bit. */
    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void vectorDecodeEqualsScalarDecodeExactly(GgmlType type) {
        int cols = type.quantized() ? 512 : 203;
        WeightMatrix m = TestData.randomMatrix(type, 3, cols, 21, false);
        for (int r = 0; r < 3; r++) {
            float[] want = new float[cols];
            float[] got = new float[cols + 3];
            m.dequantizeRow(r, want, 0);
            m.decodeRowVector(r * m.rowBytes, got, 3);
            assertEquals(Arrays.toString(want), Arrays.toString(Arrays.copyOfRange(got, 3, cols + 3)), type + " row " + r);
        }
    }

    @Test
    void dotScalarSumsDecodedWeightsTimesInput() {
        float[] w = {1, 2, 3, -4};
        WeightMatrix m = WeightMatrix.of(GgmlType.F32, TestData.segment(Quantizer.quantize(GgmlType.F32, w, 1, 4), true), 1, 4);
        assertEquals(1 * 0.5f + 2 * 1 + 3 * 2 - 4 * 0.25f, m.dotScalar(0, new float[] {9, 0.5f, 1, 2, 0.25f}, 1));
        float[] out = new float[1];
        m.matmul(new float[] {0.5f, 1, 2, 0.25f}, 1, out, 1, 0, 1);
        assertEquals(7.5f, out[0]);
    }

    @Test
    void activationFormatsFollowLlamaCpp() {
        assertEquals(ActivationFormat.F32, matrix(GgmlType.F32).activationFormat());
        assertEquals(ActivationFormat.F16, matrix(GgmlType.F16).activationFormat());
        assertEquals(ActivationFormat.BF16, matrix(GgmlType.BF16).activationFormat());
        assertEquals(ActivationFormat.Q8_0, matrix(GgmlType.Q8_0).activationFormat());
        assertEquals(ActivationFormat.Q8_0, matrix(GgmlType.Q4_0).activationFormat());
        assertEquals(ActivationFormat.Q8_K, matrix(GgmlType.Q4_K).activationFormat());
        assertEquals(ActivationFormat.Q8_K, matrix(GgmlType.Q6_K).activationFormat());
    }

    private static WeightMatrix matrix(GgmlType type) {
        WeightMatrix m = TestData.randomMatrix(type, 2, 256, 1, true);
        assertEquals(type, m.type());
        assertEquals(2, m.rows());
        assertEquals(256, m.cols());
        return m;
    }

    @Test
    void ofRejectsWrongSizesAndShapes() {
        MemorySegment seg = MemorySegment.ofArray(new byte[34 * 8]);
        assertThrows(EngineException.class, () -> WeightMatrix.of(GgmlType.Q8_0, seg, 2, 96));
        assertThrows(EngineException.class, () -> WeightMatrix.of(GgmlType.Q8_0, seg, 8, 33));
        assertThrows(EngineException.class, () -> WeightMatrix.of(GgmlType.Q4_K, seg, 1, 128));
        assertThrows(EngineException.class, () -> WeightMatrix.of(GgmlType.Q8_0, seg, 0, 32));
        assertThrows(EngineException.class, () -> WeightMatrix.of(null, seg, 8, 32));
        assertEquals(8, WeightMatrix.of(GgmlType.Q8_0, seg, 8, 32).rows());
    }

    @Test
    void badCallsFailWithEngineExceptions() {
        WeightMatrix m = TestData.randomMatrix(GgmlType.Q8_0, 4, 64, 3, false);
        float[] x = new float[128];
        assertThrows(EngineException.class, () -> m.matmul(x, 3, new float[12], 4, 0, 4));
        assertThrows(EngineException.class, () -> m.matmul(x, 2, new float[7], 4, 0, 4));
        assertThrows(EngineException.class, () -> m.matmul(x, 2, new float[8], 3, 0, 4));
        assertThrows(EngineException.class, () -> m.matmul(x, 1, new float[4], 4, 3, 5));
        assertThrows(EngineException.class, () -> m.matmul(x, 0, new float[4], 4, 0, 4));
        assertThrows(EngineException.class, () -> m.dequantizeRow(4, new float[64], 0));
        assertThrows(EngineException.class, () -> m.dequantizeRow(0, new float[64], 1));
        assertThrows(EngineException.class, () -> m.dotScalar(0, x, 65));
        m.matmul(x, 2, new float[8], 4, 0, 4);
    }
}
