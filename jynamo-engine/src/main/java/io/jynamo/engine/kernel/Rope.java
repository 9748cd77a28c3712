package io.jynamo.engine.kernel;

/** Rotary position embedding with precomputed cos/sin per position and pair. */
public final class Rope {
    /** Which elements form a rotated pair. */
    public enum Style {
        /** Adjacent pairs (x[2i], x[2i+1]): GGUF llama files, whose q/k rows the converter permuted. */
        NORMAL,
        /** Halves (x[i], x[i + d/2]): Hugging Face checkpoints, and Qwen2/3 in GGUF too. */
        NEOX
    }

    /**
     * @param headDim     rotated dimensions per head
     * @param maxPositions positions to precompute
     * @param theta       rope base frequency
     * @param freqFactors per-pair divisors of the frequency (llama3 scaling), or null
     */
    public Rope(int headDim, int maxPositions, double theta, float[] freqFactors) {
        throw new UnsupportedOperationException("SKELETON: implemented by the attention helper");
    }

    /** Rotates nHeads heads of headDim values starting at x[off], for position pos. */
    public void apply(float[] x, int off, int nHeads, int pos, Style style) {
        throw new UnsupportedOperationException("SKELETON");
    }
}
