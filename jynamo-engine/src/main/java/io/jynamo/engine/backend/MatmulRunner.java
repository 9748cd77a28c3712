package io.jynamo.engine.backend;

import io.jynamo.engine.parallel.WorkerPool;
import io.jynamo.engine.tensor.ActivationFormat;
import io.jynamo.engine.tensor.WeightMatrix;

/**
 * Runs one weight matrix over a batch: rounds the input rows to the weight's activation format (as
 * llama.cpp does), then splits the output rows among the pool's threads. Matmuls that read the
 * input of the previous one in the same format (k and v after q; up after gate) round it once.
 */
final class MatmulRunner {
    private final WorkerPool pool;
    /** Matmul inputs rounded to the weight type's activation format, [maxBatch][widest input]. */
    private final float[] rounded;
    private float[] roundedFrom;
    private int roundedRows;
    private int roundedWidth;
    private ActivationFormat roundedFormat;

    MatmulRunner(WorkerPool pool, int roundedFloats) {
        this.pool = pool;
        this.rounded = new float[roundedFloats];
    }

    /** out[t][r] = m.row(r) · in[t] for t < n. */
    void run(WeightMatrix m, float[] in, int n, float[] out) {
        roundedFormat = null;
        multiply(m, in, n, out);
    }

    /**
     * Like {@link #run}, for a matrix that reads the very input of the previous call (k and v after q,
     * up after gate): the rounded input is reused when the format matches.
     */
    void runSameInput(WeightMatrix m, float[] in, int n, float[] out) {
        multiply(m, in, n, out);
    }

    private void multiply(WeightMatrix m, float[] in, int n, float[] out) {
        float[] x = round(in, n, m.cols(), m.activationFormat());
        int rows = m.rows();
        pool.parallelFor(rows, grain(m), (r0, r1) -> m.matmul(x, n, out, rows, r0, r1));
    }

    private float[] round(float[] in, int n, int width, ActivationFormat fmt) {
        if (fmt == ActivationFormat.F32) {
            return in;
        }
        if (fmt == roundedFormat && in == roundedFrom && n == roundedRows && width == roundedWidth) {
            return rounded;
        }
        if (n == 1) {
            fmt.round(in, 0, rounded, 0, width);
        } else {
            pool.parallelFor(n, 1, (t0, t1) -> {
                for (int t = t0; t < t1; t++) {
                    fmt.round(in, t * width, rounded, t * width, width);
                }
            });
        }
        roundedFrom = in;
        roundedFormat = fmt;
        roundedRows = n;
        roundedWidth = width;
        return rounded;
    }

    /** Rows of {@code m} per parallel chunk: enough work to amortise the hand-off. */
    static int grain(WeightMatrix m) {
        return Math.max(1, 16384 / Math.max(1, m.cols()));
    }
}
