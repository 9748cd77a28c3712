package io.jynamo.engine.tensor;

import io.jynamo.engine.GgmlType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
import java.util.Random;

/** Random matrices and segments for the tensor tests. */
final class TestData {
    private TestData() {}

    static float[] gaussian(Random rnd, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian() * scale;
        }
        return v;
    }

    /** The bytes in native memory (Arena.ofAuto), 64-byte aligned, or on the heap when {@code heap}. */
    static MemorySegment segment(byte[] bytes, boolean heap) {
        if (heap) {
            return MemorySegment.ofArray(bytes);
        }
        MemorySegment seg = Arena.ofAuto().allocate(Math.max(1, bytes.length), 64).asSlice(0, bytes.length);
        MemorySegment.copy(bytes, 0, seg, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return seg;
    }

    static MemorySegment hex(String hex) {
        return MemorySegment.ofArray(HexFormat.of().parseHex(hex));
    }

    static WeightMatrix randomMatrix(GgmlType type, int rows, int cols, long seed, boolean heap) {
        float[] w = gaussian(new Random(seed), rows * cols, 0.5f);
        return WeightMatrix.of(type, segment(Quantizer.quantize(type, w, rows, cols), heap), rows, cols);
    }

    /** nTokens rows of cols activations, rounded as the matrix's type expects. */
    static float[] activations(WeightMatrix m, int nTokens, long seed) {
        float[] raw = gaussian(new Random(seed), nTokens * m.cols(), 1f);
        float[] x = new float[raw.length];
        for (int t = 0; t < nTokens; t++) {
            m.activationFormat().round(raw, t * m.cols(), x, t * m.cols(), m.cols());
        }
        return x;
    }
}
