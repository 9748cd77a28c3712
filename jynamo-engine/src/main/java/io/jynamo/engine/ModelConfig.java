package io.jynamo.engine;

import io.jynamo.engine.kernel.Rope;

/**
 * Hyper-parameters of a loaded model, whatever file it came from.
 *
 * @param headDim         dimension of one attention head (Qwen3 sets it apart from dim / heads)
 * @param ropeFreqFactors per-pair divisors of the rope frequency (llama3 scaling), or null
 * @param ropeStyle       NORMAL for GGUF llama files (their q/k rows are permuted), NEOX otherwise
 */
public record ModelConfig(
        Architecture architecture,
        int dim,
        int layers,
        int heads,
        int kvHeads,
        int headDim,
        int ffnDim,
        int vocabSize,
        int contextLength,
        float normEps,
        double ropeTheta,
        float[] ropeFreqFactors,
        Rope.Style ropeStyle,
        boolean tiedEmbeddings) {

    public ModelConfig {
        positive("embedding length", dim);
        positive("layer count", layers);
        positive("head count", heads);
        positive("KV head count", kvHeads);
        positive("head dimension", headDim);
        positive("feed-forward length", ffnDim);
        positive("vocabulary size", vocabSize);
        positive("context length", contextLength);
        if (heads % kvHeads != 0) {
            throw EngineException.badInput("head count " + heads + " is not a multiple of the KV head count " + kvHeads);
        }
        if (headDim % 2 != 0) {
            throw EngineException.badInput("head dimension " + headDim + " must be even for rotary embeddings");
        }
        if (!(normEps > 0) || !(ropeTheta > 0)) {
            throw EngineException.badInput("norm epsilon and rope base must be positive, got " + normEps + " and " + ropeTheta);
        }
        if (ropeFreqFactors != null && ropeFreqFactors.length != headDim / 2) {
            throw EngineException.badInput("rope frequency factors have " + ropeFreqFactors.length
                    + " entries, expected head dimension / 2 = " + headDim / 2);
        }
    }

    /** Width of the concatenated query heads. */
    public int qDim() {
        return heads * headDim;
    }

    /** Width of the concatenated key (or value) heads. */
    public int kvDim() {
        return kvHeads * headDim;
    }

    /** Query heads that share one KV head. */
    public int groupSize() {
        return heads / kvHeads;
    }

    private static void positive(String what, long value) {
        if (value <= 0 || value > Integer.MAX_VALUE) {
            throw EngineException.badInput("model " + what + " must be positive, got " + value);
        }
    }
}
