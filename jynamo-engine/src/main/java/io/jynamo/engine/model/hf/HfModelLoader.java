package io.jynamo.engine.model.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jynamo.engine.EngineException;
import io.jynamo.engine.format.safetensors.SafetensorsModel;
import io.jynamo.engine.format.safetensors.SafetensorsTensor;
import io.jynamo.engine.kernel.Rope;
import io.jynamo.engine.Architecture;
import io.jynamo.engine.Model;
import io.jynamo.engine.ModelConfig;
import io.jynamo.engine.model.ModelWeights;
import io.jynamo.engine.model.RopeScaling;
import io.jynamo.engine.model.TensorNaming;
import io.jynamo.engine.model.TensorRef;
import io.jynamo.engine.model.WeightBinder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads a Hugging Face model directory: config.json plus safetensors weights (one file or shards). */
public final class HfModelLoader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HfModelLoader() {}

    public static Model load(Path dir) {
        JsonNode cfg = readConfig(dir);
        SafetensorsModel st = SafetensorsModel.open(dir);
        try {
            String source = dir.toString();
            WeightBinder binder = new WeightBinder(source, name -> ref(st, name), TensorNaming.HUGGING_FACE);
            ModelConfig config = config(cfg, binder, source);
            ModelWeights weights = binder.bind(config);
            return new Model(config, weights, source, st);
        } catch (RuntimeException e) {
            st.close();
            throw e;
        }
    }

    private static TensorRef ref(SafetensorsModel st, String name) {
        SafetensorsTensor t = st.tensor(name);
        return t == null ? null : new TensorRef(name, t.type(), t.shape(), t.data());
    }

    private static JsonNode readConfig(Path dir) {
        Path file = dir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw EngineException.notFound("no config.json in model directory " + dir);
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw EngineException.badInput(file + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw EngineException.badInput(file + " is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    static ModelConfig config(JsonNode c, WeightBinder binder, String source) {
        String archName = c.path("architectures").path(0).asText(c.path("model_type").asText(""));
        Architecture arch = Architecture.fromHuggingFace(archName);
        int dim = intField(c, "hidden_size", -1, source);
        int heads = intField(c, "num_attention_heads", -1, source);
        int kvHeads = intField(c, "num_key_value_heads", heads, source);
        int headDim = intField(c, "head_dim", heads > 0 ? dim / heads : -1, source);
        double theta = c.path("rope_theta").asDouble(10000.0);
        float[] factors = null;
        JsonNode scaling = c.path("rope_scaling");
        if (scaling.isObject()) {
            String type = scaling.path("rope_type").asText(scaling.path("type").asText(""));
            switch (type) {
                case "llama3" -> factors = new RopeScaling(scaling.path("factor").asDouble(8.0),
                        scaling.path("low_freq_factor").asDouble(1.0), scaling.path("high_freq_factor").asDouble(4.0),
                        scaling.path("original_max_position_embeddings").asInt(8192)).llama3Factors(headDim, theta);
                case "default", "" -> { }
                default -> throw EngineException.badInput(source + ": rope scaling type '" + type + "' is not supported");
            }
        }
        boolean tied = c.path("tie_word_embeddings").asBoolean(false) || !binder.has("lm_head.weight");
        return new ModelConfig(arch, dim, intField(c, "num_hidden_layers", -1, source), heads, kvHeads, headDim,
                intField(c, "intermediate_size", -1, source), intField(c, "vocab_size", -1, source),
                intField(c, "max_position_embeddings", 4096, source),
                (float) c.path("rms_norm_eps").asDouble(1e-6), theta, factors, Rope.Style.NEOX, tied);
    }

    private static int intField(JsonNode c, String key, int dflt, String source) {
        JsonNode n = c.get(key);
        if (n == null || n.isNull()) {
            if (dflt == -1) {
                throw EngineException.badInput(source + "/config.json: missing field " + key);
            }
            return dflt;
        }
        if (!n.canConvertToInt()) {
            throw EngineException.badInput(source + "/config.json: field " + key + " must be an integer, got " + n);
        }
        return n.asInt();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
