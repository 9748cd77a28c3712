package io.jynamo.engine.tensor;

import io.jynamo.engine.GgmlType;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.jynamo.engine.parallel.WorkerPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Neither splitting rows among threads nor JIT compilation may change a single bit of the output. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ThreadedMatmulTest {

    @Test
    void oneAndTwoThreadsGiveIdenticalBits() {
        try (WorkerPool one = new WorkerPool(1); WorkerPool two = new WorkerPool(2)) {
            for (GgmlType type : GgmlType.values()) {
                WeightMatrix m = TestData.randomMatrix(type, 203, 512, type.ordinal(), false);
                for (int nTokens : new int[] {1, 6}) {
                    float[] x = TestData.activations(m, nTokens, 99);
                    // The first call runs cold (interpreted); the later ones hot (C2): same bits too.
                    float[] cold = run(one, m, x, nTokens, 203);
                    for (int warm = 0; warm < 30; warm++) {
                        run(two, m, x, nTokens, 7);
                    }
                    assertArrayEquals(cold, run(two, m, x, nTokens, 7), type + " nTokens=" + nTokens);
                    assertArrayEquals(cold, run(one, m, x, nTokens, 203), type + " nTokens=" + nTokens);
                }
            }
        }
    }

    private static float[] run(WorkerPool pool, WeightMatrix m, float[] x, int nTokens, int grain) {
        float[] out = new float[nTokens * m.rows()];
        pool.parallelFor(m.rows(), grain, (r0, r1) -> m.matmul(x, nTokens, out, m.rows(), r0, r1));
        return out;
    }
}
