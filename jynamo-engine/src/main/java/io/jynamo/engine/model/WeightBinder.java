package io.jynamo.engine.model;

import io.jynamo.engine.EngineException;
import io.jynamo.engine.ModelConfig;
import io.jynamo.engine.model.TensorNaming.Part;
import io.jynamo.engine.GgmlType;
import io.jynamo.engine.tensor.WeightMatrix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Finds every weight a configuration needs in a container, checks its shape against the
 * configuration, and wraps it. Shared by the GGUF and Hugging Face loaders so both apply the same checks.
 */
public final class WeightBinder {
    private final String source;
    private final Function<String, TensorRef> lookup;
    private final TensorNaming naming;

    /** @param lookup returns the tensor of that name, or null when the container lacks it */
    public WeightBinder(String source, Function<String, TensorRef> lookup, TensorNaming naming) {
        this.source = source;
        this.lookup = lookup;
        this.naming = naming;
    }

    public ModelWeights bind(ModelConfig c) {
        WeightMatrix embedding = matrix(naming.embedding(), c.vocabSize(), c.dim());
        List<LayerWeights> layers = new ArrayList<>(c.layers());
        boolean bias = c.architecture().qkvBias();
        boolean qkNorm = c.architecture().qkNorm();
        for (int i = 0; i < c.layers(); i++) {
            layers.add(new LayerWeights(
                    vector(naming.layer(i, Part.ATTN_NORM), c.dim()),
                    matrix(naming.layer(i, Part.Q), c.qDim(), c.dim()),
                    matrix(naming.layer(i, Part.K), c.kvDim(), c.dim()),
                    matrix(naming.layer(i, Part.V), c.kvDim(), c.dim()),
                    matrix(naming.layer(i, Part.O), c.dim(), c.qDim()),
                    bias ? vector(naming.layer(i, Part.Q_BIAS), c.qDim()) : null,
                    bias ? vector(naming.layer(i, Part.K_BIAS), c.kvDim()) : null,
                    bias ? vector(naming.layer(i, Part.V_BIAS), c.kvDim()) : null,
                    qkNorm ? vector(naming.layer(i, Part.Q_NORM), c.headDim()) : null,
                    qkNorm ? vector(naming.layer(i, Part.K_NORM), c.headDim()) : null,
                    vector(naming.layer(i, Part.FFN_NORM), c.dim()),
                    matrix(naming.layer(i, Part.GATE), c.ffnDim(), c.dim()),
                    matrix(naming.layer(i, Part.UP), c.ffnDim(), c.dim()),
                    matrix(naming.layer(i, Part.DOWN), c.dim(), c.ffnDim())));
        }
        float[] outputNorm = vector(naming.outputNorm(), c.dim());
        WeightMatrix output = c.tiedEmbeddings() ? embedding : matrix(naming.output(), c.vocabSize(), c.dim());
        return new ModelWeights(embedding, layers, outputNorm, output);
    }

    /** Whether the container holds a tensor of that name. */
    public boolean has(String name) {
        return lookup.apply(name) != null;
    }

    private TensorRef require(String name) {
        TensorRef t = lookup.apply(name);
        if (t == null) {
            throw EngineException.badInput(source + ": missing tensor " + name);
        }
        return t;
    }

    private WeightMatrix matrix(String name, int rows, int cols) {
        TensorRef t = require(name);
        long[] d = t.dims();
        if (d.length != 2 || d[0] != rows || d[1] != cols) {
            throw shape(name, d, rows + " x " + cols);
        }
        return WeightMatrix.of(t.type(), t.data(), rows, cols);
    }

    /** A 1-D tensor (norm weight or bias), decoded to floats: these are tiny. */
    public float[] vector(String name, int length) {
        TensorRef t = require(name);
        long[] d = t.dims();
        if (d.length != 1 || d[0] != length) {
            throw shape(name, d, String.valueOf(length));
        }
        if (t.type() != GgmlType.F32 && t.type() != GgmlType.F16 && t.type() != GgmlType.BF16) {
            throw EngineException.badInput(source + ": tensor " + name + " has type " + t.type()
                    + "; 1-D tensors must be F32, F16 or BF16");
        }
        float[] out = new float[length];
        WeightMatrix.of(t.type(), t.data(), 1, length).dequantizeRow(0, out, 0);
        return out;
    }

    private EngineException shape(String name, long[] actual, String expected) {
        return EngineException.badInput(source + ": tensor " + name + " has shape " + Arrays.toString(actual)
                + " but the model configuration needs " + expected);
    }
}
