package io.jynamo.engine.tensor;

import io.jynamo.engine.GgmlType;
import io.jynamo.engine.parallel.WorkerPool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

/**
 * A small manual benchmark (not a test): decode GB/s of weight bytes (nTokens = 1, enough copies of
 * the matrix to defeat the L3) and prefill GFLOP/s, for a 2048x8192 matrix per type. Run with
 * {@code java --add-modules jdk.incubator.vector -cp <test-classes>:<classes>:<api jar>
 * io.jynamo.engine.tensor.MatmulBench [threads] [types...]}. Timings on a shared machine are noisy.
 */
public final class MatmulBench {
    private static final int ROWS = 2048, COLS = 8192, PREFILL_TOKENS = 64;

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        String[] types = args.length > 1 ? java.util.Arrays.copyOfRange(args, 1, args.length)
                : new String[] {"q8_0", "q4_0", "f16", "bf16", "q4_k", "q6_k"};
        System.out.println("species " + Simd.F + ", threads " + threads);
        try (WorkerPool pool = new WorkerPool(threads)) {
            for (String name : types) {
                GgmlType type = GgmlType.parse(name);
                WeightMatrix[] copies = copies(type);
                double decode = time(pool, copies, 1, 12);
                double prefill = time(pool, new WeightMatrix[] {copies[0]}, PREFILL_TOKENS, 4);
                long bytes = ROWS * type.byteSize(COLS);
                System.out.printf("%-5s decode %6.2f GB/s (%.2f ms)   prefill(%d) %6.1f GFLOP/s%n", type, bytes / decode,
                        decode / 1e6, PREFILL_TOKENS, 2.0 * ROWS * COLS * PREFILL_TOKENS / prefill);
            }
        }
    }

    private static WeightMatrix[] copies(GgmlType type) {
        float[] w = TestData.gaussian(new Random(1), ROWS * COLS, 1f);
        byte[] bytes = Quantizer.quantize(type, w, ROWS, COLS);
        int n = (int) Math.max(2, (160L << 20) / bytes.length);
        WeightMatrix[] out = new WeightMatrix[n];
        for (int c = 0; c < n; c++) {
            MemorySegment seg = Arena.global().allocate(bytes.length, 64);
            MemorySegment.copy(bytes, 0, seg, ValueLayout.JAVA_BYTE, 0, bytes.length);
            out[c] = WeightMatrix.of(type, seg, ROWS, COLS);
        }
        return out;
    }

    /** Best nanoseconds per matmul over {@code rounds} passes over all copies. */
    private static double time(WorkerPool pool, WeightMatrix[] ms, int nTokens, int rounds) {
        float[] x = TestData.activations(ms[0], nTokens, 2);
        float[] out = new float[nTokens * ROWS];
        double best = Double.MAX_VALUE;
        for (int round = 0; round < rounds; round++) {
            long t0 = System.nanoTime();
            for (WeightMatrix m : ms) {
                pool.parallelFor(ROWS, 16, (r0, r1) -> m.matmul(x, nTokens, out, ROWS, r0, r1));
            }
            if (round >= 2) {
                best = Math.min(best, (System.nanoTime() - t0) / (double) ms.length);
            }
        }
        return best;
    }
}
