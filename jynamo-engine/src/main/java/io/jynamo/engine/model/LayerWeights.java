package io.jynamo.engine.model;

import io.jynamo.engine.tensor.WeightMatrix;

/**
 * Weights of one transformer block. Norms and biases are small and held as float arrays; the
 * matrices stay in the mapped file. Optional parts are null when the architecture lacks them.
 */
public record LayerWeights(
        float[] attnNorm,
        WeightMatrix wq,
        WeightMatrix wk,
        WeightMatrix wv,
        WeightMatrix wo,
        float[] bq,
        float[] bk,
        float[] bv,
        float[] qNorm,
        float[] kNorm,
        float[] ffnNorm,
        WeightMatrix wGate,
        WeightMatrix wUp,
        WeightMatrix wDown) {
}
