package io.jynamo.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jynamo.engine.Architecture;
import io.jynamo.engine.GgmlType;

/** The config.json that Hugging Face transformers writes for a model of the spec's family and shape. */
final class HfConfigJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HfConfigJson() {}

    static String render(TestModelSpec s, int vocabSize, GgmlType dtype) {
        ObjectNode c = JSON.createObjectNode();
        Architecture arch = s.family().architecture();
        String cls = switch (arch) {
            case LLAMA -> "LlamaForCausalLM";
            case MISTRAL -> "MistralForCausalLM";
            case QWEN2 -> "Qwen2ForCausalLM";
            case QWEN3 -> "Qwen3ForCausalLM";
        };
        c.putArray("architectures").add(cls);
        c.put("model_type", arch.ggufName());
        c.put("hidden_size", s.dim());
        c.put("intermediate_size", s.ffn());
        c.put("num_hidden_layers", s.layers());
        c.put("num_attention_heads", s.heads());
        c.put("num_key_value_heads", s.kvHeads());
        c.put("head_dim", s.headDim());
        c.put("vocab_size", vocabSize);
        c.put("max_position_embeddings", s.contextLength());
        c.put("rms_norm_eps", s.family().normEps());
        c.put("rope_theta", s.family().ropeTheta());
        if (s.family().ropeScaling() != null) {
            ObjectNode r = c.putObject("rope_scaling");
            r.put("rope_type", "llama3");
            r.put("factor", s.family().ropeScaling().factor());
            r.put("low_freq_factor", s.family().ropeScaling().lowFreqFactor());
            r.put("high_freq_factor", s.family().ropeScaling().highFreqFactor());
            r.put("original_max_position_embeddings", s.family().ropeScaling().originalContextLength());
        }
        c.put("hidden_act", "silu");
        c.put("tie_word_embeddings", s.tied());
        c.put("attention_bias", arch == Architecture.QWEN2);
        c.put("torch_dtype", switch (dtype) {
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            default -> "float32";
        });
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(c);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
