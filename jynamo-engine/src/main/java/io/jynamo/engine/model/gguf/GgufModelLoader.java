package io.jynamo.engine.model.gguf;

import io.jynamo.engine.EngineException;
import io.jynamo.engine.format.gguf.GgufFile;
import io.jynamo.engine.format.gguf.GgufTensorInfo;
import io.jynamo.engine.kernel.Rope;
import io.jynamo.engine.Architecture;
import io.jynamo.engine.Model;
import io.jynamo.engine.ModelConfig;
import io.jynamo.engine.model.ModelWeights;
import io.jynamo.engine.model.TensorNaming;
import io.jynamo.engine.model.TensorRef;
import io.jynamo.engine.model.WeightBinder;

import java.nio.file.Path;

/** Loads a model from a GGUF file, reading hyper-parameters from llama.cpp's metadata keys. */
public final class GgufModelLoader {
    private GgufModelLoader() {}

    public static Model load(Path path) {
        GgufFile file = GgufFile.open(path);
        try {
            String source = path.toString();
            WeightBinder binder = new WeightBinder(source, name -> ref(file, name), TensorNaming.GGUF);
            ModelConfig config = config(file, binder, source);
            ModelWeights weights = binder.bind(config);
            return new Model(config, weights, source, file);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private static TensorRef ref(GgufFile file, String name) {
        GgufTensorInfo t = file.tensor(name);
        if (t == null) {
            return null;
        }
        long[] ggml = t.shape();
        long[] dims = new long[ggml.length];
        for (int i = 0; i < ggml.length; i++) {
            dims[i] = ggml[ggml.length - 1 - i];
        }
        return new TensorRef(name, t.type(), dims, file.tensorData(t));
    }

    static ModelConfig config(GgufFile f, WeightBinder binder, String source) {
        String archName = f.getString("general.architecture");
        Architecture arch = Architecture.fromGguf(archName);
        String p = archName + ".";
        int dim = intKey(f, p + "embedding_length", -1);
        int heads = intKey(f, p + "attention.head_count", -1);
        int kvHeads = intKey(f, p + "attention.head_count_kv", heads);
        int headDim = intKey(f, p + "attention.key_length", heads > 0 ? dim / heads : -1);
        int valueDim = intKey(f, p + "attention.value_length", headDim);
        if (valueDim != headDim) {
            throw EngineException.badInput(source + ": key length " + headDim + " differs from value length "
                    + valueDim + ", which this engine does not support");
        }
        int ropeDim = intKey(f, p + "rope.dimension_count", headDim);
        if (ropeDim != headDim) {
            throw EngineException.badInput(source + ": partial rotary embeddings (rope dimension " + ropeDim
                    + " of head dimension " + headDim + ") are not supported");
        }
        if (f.has(p + "rope.scaling.type")) {
            String type = f.getString(p + "rope.scaling.type");
            if (!type.equals("none")) {
                throw EngineException.badInput(source + ": rope scaling type '" + type + "' is not supported");
            }
        }
        TensorRef embd = ref(f, "token_embd.weight");
        if (embd == null) {
            throw EngineException.badInput(source + ": missing tensor token_embd.weight");
        }
        int vocab = intKey(f, p + "vocab_size", (int) Math.min(Integer.MAX_VALUE, embd.dims()[0]));
        float[] freqFactors = binder.has("rope_freqs.weight") ? binder.vector("rope_freqs.weight", headDim / 2) : null;
        Rope.Style style = switch (arch) {
            case LLAMA, MISTRAL -> Rope.Style.NORMAL;
            case QWEN2, QWEN3 -> Rope.Style.NEOX;
        };
        return new ModelConfig(arch, dim, intKey(f, p + "block_count", -1), heads, kvHeads, headDim,
                intKey(f, p + "feed_forward_length", -1), vocab, intKey(f, p + "context_length", 4096),
                f.getFloat(p + "attention.layer_norm_rms_epsilon", 1e-5f),
                f.getFloat(p + "rope.freq_base", 10000f), freqFactors, style,
                !binder.has("output.weight"));
    }

    private static int intKey(GgufFile f, String key, int dflt) {
        long v = f.getLong(key, dflt);
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw EngineException.badInput(f.path() + ": metadata " + key + " = " + v + " is out of range");
        }
        if (v == -1 && dflt == -1) {
            throw EngineException.badInput(f.path() + ": missing metadata key " + key);
        }
        return (int) v;
    }
}
