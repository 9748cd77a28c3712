package io.jynamo.engine.kernel;

import io.jynamo.engine.EngineException;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Rotary position embedding with precomputed cos/sin per position and pair.
 *
 * <p>The angles are computed as ggml does, so that our rotations match llama.cpp's to the last bit
 * of the angle: theta_scale = powf(base, -2/headDim) and, per position p, theta starts at p and is
 * multiplied by theta_scale (in float) from one pair to the next; pair i uses theta / freqFactors[i].
 * That is pos * base^(-2i/d) up to float rounding of the running product. cos and sin are taken in
 * double of that float angle and stored as float. The table grows on demand up to maxPositions.
 */
public final class Rope {
    /** Which elements form a rotated pair. */
    public enum Style {
        /** Adjacent pairs (x[2i], x[2i+1]): GGUF llama files, whose q/k rows the converter permuted. */
        NORMAL,
        /** Halves (x[i], x[i + d/2]): Hugging Face checkpoints, and Qwen2/3 in GGUF too. */
        NEOX
    }

    private static final VectorSpecies<Float> F = Kernels.F;
    private static final int INITIAL_POSITIONS = 1024;

    /** cos and sin of position p, pair i, at [p * half + i]; replaced whole when it grows. */
    private record Table(float[] cos, float[] sin, int positions) {}

    private final int headDim;
    private final int half;
    private final int maxPositions;
    private final float thetaScale;
    private final float[] freqFactors;
    private volatile Table table;

    /**
     * @param headDim     rotated dimensions per head
     * @param maxPositions positions to precompute
     * @param theta       rope base frequency
     * @param freqFactors per-pair divisors of the frequency (llama3 scaling), or null
     */
    public Rope(int headDim, int maxPositions, double theta, float[] freqFactors) {
        if (headDim <= 0 || headDim % 2 != 0) {
            throw EngineException.badInput("rope dimension count must be positive and even, got " + headDim);
        }
        if (maxPositions <= 0) {
            throw EngineException.badInput("rope maxPositions must be positive, got " + maxPositions);
        }
        if ((long) maxPositions * (headDim / 2) > Integer.MAX_VALUE - 16) {
            throw EngineException.badInput("rope table of " + maxPositions + " positions x " + headDim / 2
                    + " pairs is too large; lower the context length");
        }
        if (!(theta > 0) || Double.isInfinite(theta)) {
            throw EngineException.badInput("rope base frequency must be positive and finite, got " + theta);
        }
        this.headDim = headDim;
        this.half = headDim / 2;
        this.maxPositions = maxPositions;
        this.thetaScale = (float) Math.pow((float) theta, -2.0f / headDim);
        this.freqFactors = freqFactors == null ? null : checkedFactors(freqFactors, half);
        this.table = build(new Table(new float[0], new float[0], 0), Math.min(maxPositions, INITIAL_POSITIONS));
    }

    public int headDim() { return headDim; }

    public int maxPositions() { return maxPositions; }

    /** Rotates nHeads heads of headDim values starting at x[off], for position pos. */
    public void apply(float[] x, int off, int nHeads, int pos, Style style) {
        if (style == Style.NORMAL) {
            applyScalar(x, off, nHeads, pos, style);  // interleaved pairs: a shuffle per vector costs what it saves
            return;
        }
        Table t = tableFor(pos);
        int row = pos * half;
        int bound = F.loopBound(half);
        for (int h = 0; h < nHeads; h++) {
            int base = off + h * headDim;
            int i = 0;
            for (; i < bound; i += F.length()) {
                FloatVector x0 = FloatVector.fromArray(F, x, base + i);
                FloatVector x1 = FloatVector.fromArray(F, x, base + half + i);
                FloatVector c = FloatVector.fromArray(F, t.cos, row + i);
                FloatVector s = FloatVector.fromArray(F, t.sin, row + i);
                x0.mul(c).sub(x1.mul(s)).intoArray(x, base + i);
                x0.mul(s).add(x1.mul(c)).intoArray(x, base + half + i);
            }
            for (; i < half; i++) {
                rotate(x, base + i, base + half + i, t.cos[row + i], t.sin[row + i]);
            }
        }
    }

    /** The scalar twin of {@link #apply}. */
    public void applyScalar(float[] x, int off, int nHeads, int pos, Style style) {
        Table t = tableFor(pos);
        int row = pos * half;
        for (int h = 0; h < nHeads; h++) {
            int base = off + h * headDim;
            for (int i = 0; i < half; i++) {
                int a = style == Style.NORMAL ? base + 2 * i : base + i;
                int b = style == Style.NORMAL ? a + 1 : a + half;
                rotate(x, a, b, t.cos[row + i], t.sin[row + i]);
            }
        }
    }

    /** (x0, x1) becomes (x0 cos - x1 sin, x0 sin + x1 cos), as ggml's forward rope. */
    private static void rotate(float[] x, int a, int b, float cos, float sin) {
        float x0 = x[a];
        float x1 = x[b];
        x[a] = x0 * cos - x1 * sin;
        x[b] = x0 * sin + x1 * cos;
    }

    private Table tableFor(int pos) {
        Table t = table;
        if (pos >= 0 && pos < t.positions) {
            return t;
        }
        if (pos < 0 || pos >= maxPositions) {
            throw EngineException.badInput("position " + pos + " is outside the rope table's " + maxPositions + " positions");
        }
        synchronized (this) {
            t = table;
            if (pos >= t.positions) {
                t = build(t, (int) Math.min(maxPositions, Math.max(pos + 1L, 2L * t.positions)));
                table = t;
            }
            return t;
        }
    }

    /** A table of {@code positions} rows: the rows of {@code old} kept, the rest computed. */
    private Table build(Table old, int positions) {
        float[] cos = Arrays.copyOf(old.cos, positions * half);
        float[] sin = Arrays.copyOf(old.sin, positions * half);
        for (int p = old.positions; p < positions; p++) {
            float theta = p;
            for (int i = 0; i < half; i++) {
                float angle = freqFactors == null ? theta : theta / freqFactors[i];
                cos[p * half + i] = (float) Math.cos(angle);
                sin[p * half + i] = (float) Math.sin(angle);
                theta *= thetaScale;
            }
        }
        return new Table(cos, sin, positions);
    }

    private static float[] checkedFactors(float[] factors, int pairs) {
        if (factors.length < pairs) {
            throw EngineException.badInput("rope_freqs has " + factors.length + " values, need " + pairs);
        }
        for (int i = 0; i < pairs; i++) {
            if (!(factors[i] > 0) || Float.isInfinite(factors[i])) {
                throw EngineException.badInput("rope_freqs[" + i + "] = " + factors[i] + " is not a positive finite factor");
            }
        }
        return Arrays.copyOf(factors, pairs);
    }
}
