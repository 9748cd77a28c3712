package io.jynamo.engine.tensor;

import io.jynamo.engine.GgmlType;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A token's matmul result is the same bits alone or in a batch of any size, at any position in it:
 * the serving engine batches sequences, and each must get the tokens it would get alone.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BatchInvarianceTest {
    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void batchedRowsEqualSingleTokenRows(GgmlType type) {
        check(type, type.blockSize() == 256 ? 512 : 320);
    }

    /** Rows with an odd number of vector pairs, or a scalar tail, take other paths in the kernels. */
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16"})
    void unquantisedRowsWithTailsAreBatchInvariant(GgmlType type) {
        check(type, 336);
        check(type, 333);
    }

    private static void check(GgmlType type, int cols) {
        int rows = 37;
        WeightMatrix m = TestData.randomMatrix(type, rows, cols, 11, false);
        for (int n : new int[] {2, 3, 5, 9, 16, 64, 70}) {
            float[] x = TestData.activations(m, n, n);
            float[] batched = new float[n * rows];
            m.matmul(x, n, batched, rows, 0, rows);
            for (int t = 0; t < n; t++) {
                float[] one = new float[rows];
                m.matmul(Arrays.copyOfRange(x, t * cols, (t + 1) * cols), 1, one, rows, 0, rows);
                for (int r = 0; r < rows; r++) {
                    assertEquals(Float.floatToRawIntBits(one[r]), Float.floatToRawIntBits(batched[t * rows + r]),
                            type + ": token " + t + " of " + n + ", row " + r + ": alone " + one[r] + ", batched "
                                    + batched[t * rows + r]);
                }
            }
        }
    }
}
