package io.jynamo.jmh;

import io.jynamo.engine.GgmlType;
import io.jynamo.engine.tensor.Quantizer;
import io.jynamo.engine.tensor.WeightMatrix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * MatmulBenchmark's batched cases timed by the thread's CPU time rather than the wall clock: on a
 * shared two-core machine other processes take the cores for whole time slices, which inflates
 * wall-clock figures by 2x and more, while CPU time only counts the slices this thread ran.
 * Prints the fastest and the median of {@code reps} matmuls after {@code warm} warm-up ones.
 *
 * <p>{@code java -cp ... io.jynamo.jmh.MatmulCpuTime [types] [token counts] [reps]}, e.g.
 * {@code Q8_0,F16 1,4,16,64 30}; {@code -Drows=} and {@code -Dcols=} change the 2048 x 8192 shape.
 */
public final class MatmulCpuTime {
    private MatmulCpuTime() {}

    public static void main(String[] args) {
        String[] types = (args.length > 0 ? args[0] : "Q8_0").split(",");
        int[] counts = Arrays.stream((args.length > 1 ? args[1] : "1,4,16,64").split(",")).mapToInt(Integer::parseInt).toArray();
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int rows = Integer.getInteger("rows", MatmulBenchmark.ROWS);
        int cols = Integer.getInteger("cols", MatmulBenchmark.COLS);
        for (String type : types) {
            GgmlType t = GgmlType.parse(type);
            SplittableRandom rnd = new SplittableRandom(1);
            float[] w = new float[rows * cols];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (rnd.nextDouble() * 0.07 - 0.035);
            }
            byte[] bytes = Quantizer.quantize(t, w, rows, cols);
            MemorySegment seg = Arena.global().allocate(bytes.length, 64);
            MemorySegment.copy(bytes, 0, seg, ValueLayout.JAVA_BYTE, 0, bytes.length);
            WeightMatrix m = WeightMatrix.of(t, seg, rows, cols);
            for (int n : counts) {
                float[] raw = new float[n * cols];
                for (int i = 0; i < raw.length; i++) {
                    raw[i] = (float) (rnd.nextDouble() * 2 - 1);
                }
                float[] x = new float[raw.length];
                for (int k = 0; k < n; k++) {
                    m.activationFormat().round(raw, k * cols, x, k * cols, cols);
                }
                float[] out = new float[n * rows];
                int warm = Math.max(10, 400 / n);
                for (int i = 0; i < warm; i++) {
                    m.matmul(x, n, out, rows, 0, rows);
                }
                long[] ns = new long[reps];
                for (int i = 0; i < reps; i++) {
                    long c0 = mx.getCurrentThreadCpuTime();
                    m.matmul(x, n, out, rows, 0, rows);
                    ns[i] = mx.getCurrentThreadCpuTime() - c0;
                }
                Arrays.sort(ns);
                double min = ns[0] / 1e6, med = ns[reps / 2] / 1e6;
                System.out.printf("%-5s M=%-3d cpu min %8.2f ms  med %8.2f ms  %6.1f GFLOP/s (min)  %6.1f (med)%n",
                        type, n, min, med, 2.0 * rows * cols * n / (min * 1e6), 2.0 * rows * cols * n / (med * 1e6));
            }
        }
    }
}
