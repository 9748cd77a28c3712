package io.jynamo.testkit;

import io.jynamo.engine.EngineException;

/**
 * Shape of a random-weight test model. {@code headDim} 0 means dim / heads.
 *
 * @param std standard deviation of the (uniform) random matrix weights
 */
public record TestModelSpec(ModelFamily family, int dim, int layers, int heads, int kvHeads, int headDim, int ffn,
                            boolean tied, long seed, float std, int contextLength) {
    public TestModelSpec {
        if (dim <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || ffn <= 0 || headDim < 0 || contextLength <= 0) {
            throw EngineException.badInput("model shape values must be positive");
        }
        if (heads % kvHeads != 0) {
            throw EngineException.badInput("--heads " + heads + " must be a multiple of --kv-heads " + kvHeads);
        }
        if (headDim == 0) {
            if (dim % heads != 0) {
                throw EngineException.badInput("--dim " + dim + " must be a multiple of --heads " + heads);
            }
            headDim = dim / heads;
        }
        if (headDim % 2 != 0) {
            throw EngineException.badInput("head dimension " + headDim + " must be even");
        }
    }

    /** A tiny model of the family, small enough for tests yet a whole number of K-quant blocks wide. */
    public static TestModelSpec tiny(ModelFamily family, long seed) {
        int headDim = family == ModelFamily.QWEN3 ? 128 : 0;
        return new TestModelSpec(family, 256, 2, 4, 2, headDim, 512, family != ModelFamily.LLAMA2, seed, 0.02f, 2048);
    }
}
