package io.jynamo.testkit;

import io.jynamo.engine.model.TensorNaming;

import java.util.ArrayList;
import java.util.List;

/**
 * One tensor of a test model, named in both containers. Values come from {@link RandomWeights} by the
 * Hugging Face name, so the GGUF and safetensors copies hold the same numbers.
 *
 * @param rows         1 for a 1-D tensor
 * @param permuteHeads for q/k in llama GGUF files: the head count whose rows get permuted, else 0
 */
record TensorPlan(String hfName, String ggufName, Kind kind, int rows, int cols, int permuteHeads) {
    enum Kind { MATRIX, NORM, BIAS }

    boolean oneDimensional() {
        return kind != Kind.MATRIX;
    }

    /** Every tensor of the model described by {@code s}, in file order. */
    static List<TensorPlan> of(TestModelSpec s, int vocab) {
        List<TensorPlan> out = new ArrayList<>();
        TensorNaming hf = TensorNaming.HUGGING_FACE;
        TensorNaming gg = TensorNaming.GGUF;
        int qDim = s.heads() * s.headDim();
        int kvDim = s.kvHeads() * s.headDim();
        boolean permute = s.family().ggufPermutesQk();
        out.add(new TensorPlan(hf.embedding(), gg.embedding(), Kind.MATRIX, vocab, s.dim(), 0));
        for (int l = 0; l < s.layers(); l++) {
            out.add(layer(l, TensorNaming.Part.ATTN_NORM, Kind.NORM, 1, s.dim(), 0));
            out.add(layer(l, TensorNaming.Part.Q, Kind.MATRIX, qDim, s.dim(), permute ? s.heads() : 0));
            out.add(layer(l, TensorNaming.Part.K, Kind.MATRIX, kvDim, s.dim(), permute ? s.kvHeads() : 0));
            out.add(layer(l, TensorNaming.Part.V, Kind.MATRIX, kvDim, s.dim(), 0));
            out.add(layer(l, TensorNaming.Part.O, Kind.MATRIX, s.dim(), qDim, 0));
            if (s.family().architecture().qkvBias()) {
                out.add(layer(l, TensorNaming.Part.Q_BIAS, Kind.BIAS, 1, qDim, 0));
                out.add(layer(l, TensorNaming.Part.K_BIAS, Kind.BIAS, 1, kvDim, 0));
                out.add(layer(l, TensorNaming.Part.V_BIAS, Kind.BIAS, 1, kvDim, 0));
            }
            if (s.family().architecture().qkNorm()) {
                out.add(layer(l, TensorNaming.Part.Q_NORM, Kind.NORM, 1, s.headDim(), 0));
                out.add(layer(l, TensorNaming.Part.K_NORM, Kind.NORM, 1, s.headDim(), 0));
            }
            out.add(layer(l, TensorNaming.Part.FFN_NORM, Kind.NORM, 1, s.dim(), 0));
            out.add(layer(l, TensorNaming.Part.GATE, Kind.MATRIX, s.ffn(), s.dim(), 0));
            out.add(layer(l, TensorNaming.Part.UP, Kind.MATRIX, s.ffn(), s.dim(), 0));
            out.add(layer(l, TensorNaming.Part.DOWN, Kind.MATRIX, s.dim(), s.ffn(), 0));
        }
        out.add(new TensorPlan(hf.outputNorm(), gg.outputNorm(), Kind.NORM, 1, s.dim(), 0));
        if (!s.tied()) {
            out.add(new TensorPlan(hf.output(), gg.output(), Kind.MATRIX, vocab, s.dim(), 0));
        }
        return out;
    }

    private static TensorPlan layer(int l, TensorNaming.Part part, Kind kind, int rows, int cols, int permuteHeads) {
        return new TensorPlan(TensorNaming.HUGGING_FACE.layer(l, part), TensorNaming.GGUF.layer(l, part), kind,
                rows, cols, permuteHeads);
    }

    /**
     * The Hugging Face row stored at GGUF row {@code r}: llama.cpp's converter interleaves the two
     * halves of each head so that adjacent-pair rope on GGUF equals half-split rope on Hugging Face.
     */
    int sourceRow(int r) {
        if (permuteHeads == 0) {
            return r;
        }
        int headDim = rows / permuteHeads;
        int head = r / headDim;
        int within = r % headDim;
        return head * headDim + (within % 2) * (headDim / 2) + within / 2;
    }
}
