package io.jynamo.jmh;

import io.jynamo.engine.GgmlType;
import io.jynamo.engine.tensor.Quantizer;
import io.jynamo.engine.tensor.WeightMatrix;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One thread's matmul over a 2048 x 8192 weight (a 1B model's FFN down projection) per weight type:
 * {@code tokens = 1} is decode (bound by memory: read bytes / time is the figure), larger counts are
 * prefill or a batch of decode steps (bound by arithmetic). Several copies of the matrix defeat the
 * caches in decode. Weights x tokens per second = 2048 * 8192 * tokens / time; GFLOP/s is twice that.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MatmulBenchmark {
    static final int ROWS = 2048;
    static final int COLS = 8192;

    @Param({"Q8_0", "Q4_0", "F16", "BF16", "Q4_K", "Q6_K"})
    public String type;

    @Param({"1", "4", "16", "64"})
    public int tokens;

    private WeightMatrix[] copies;
    private int next;
    private float[] x;
    private float[] out;

    @Setup(Level.Trial)
    public void setUp() {
        GgmlType t = GgmlType.parse(type);
        SplittableRandom rnd = new SplittableRandom(1);
        float[] w = new float[ROWS * COLS];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rnd.nextDouble() * 0.07 - 0.035);
        }
        byte[] bytes = Quantizer.quantize(t, w, ROWS, COLS);
        int n = tokens == 1 ? (int) Math.max(2, (256L << 20) / bytes.length) : 1;
        copies = new WeightMatrix[n];
        for (int c = 0; c < n; c++) {
            MemorySegment seg = Arena.global().allocate(bytes.length, 64);
            MemorySegment.copy(bytes, 0, seg, ValueLayout.JAVA_BYTE, 0, bytes.length);
            copies[c] = WeightMatrix.of(t, seg, ROWS, COLS);
        }
        float[] raw = new float[tokens * COLS];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        x = new float[raw.length];
        for (int k = 0; k < tokens; k++) {
            copies[0].activationFormat().round(raw, k * COLS, x, k * COLS, COLS);
        }
        out = new float[tokens * ROWS];
    }

    @Benchmark
    public float matmul() {
        WeightMatrix m = copies[next];
        next = (next + 1) % copies.length;
        m.matmul(x, tokens, out, ROWS, 0, ROWS);
        return out[0];
    }
}
