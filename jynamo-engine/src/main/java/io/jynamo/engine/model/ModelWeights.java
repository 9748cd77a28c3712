package io.jynamo.engine.model;

import io.jynamo.engine.tensor.WeightMatrix;

import java.util.List;

/** All weights of a model; {@code output} is the embedding matrix itself when embeddings are tied. */
public record ModelWeights(WeightMatrix tokenEmbedding, List<LayerWeights> layers, float[] outputNorm,
                           WeightMatrix output) {
    public ModelWeights {
        layers = List.copyOf(layers);
    }
}
