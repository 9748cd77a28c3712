package io.jynamo.engine.model;

/** Where each weight of the model lives in a given container's naming scheme. */
public interface TensorNaming {
    /** The per-layer weights. */
    enum Part {
        ATTN_NORM, Q, K, V, O, Q_BIAS, K_BIAS, V_BIAS, Q_NORM, K_NORM, FFN_NORM, GATE, UP, DOWN
    }

    String embedding();

    String outputNorm();

    String output();

    String layer(int layer, Part part);

    /** llama.cpp's names, as in GGUF files. */
    TensorNaming GGUF = new TensorNaming() {
        @Override public String embedding() { return "token_embd.weight"; }
        @Override public String outputNorm() { return "output_norm.weight"; }
        @Override public String output() { return "output.weight"; }
        @Override public String layer(int layer, Part part) {
            String suffix = switch (part) {
                case ATTN_NORM -> "attn_norm.weight";
                case Q -> "attn_q.weight";
                case K -> "attn_k.weight";
                case V -> "attn_v.weight";
                case O -> "attn_output.weight";
                case Q_BIAS -> "attn_q.bias";
                case K_BIAS -> "attn_k.bias";
                case V_BIAS -> "attn_v.bias";
                case Q_NORM -> "attn_q_norm.weight";
                case K_NORM -> "attn_k_norm.weight";
                case FFN_NORM -> "ffn_norm.weight";
                case GATE -> "ffn_gate.weight";
                case UP -> "ffn_up.weight";
                case DOWN -> "ffn_down.weight";
            };
            return "blk." + layer + "." + suffix;
        }
    };

    /** Hugging Face transformers' names, as in safetensors checkpoints. */
    TensorNaming HUGGING_FACE = new TensorNaming() {
        @Override public String embedding() { return "model.embed_tokens.weight"; }
        @Override public String outputNorm() { return "model.norm.weight"; }
        @Override public String output() { return "lm_head.weight"; }
        @Override public String layer(int layer, Part part) {
            String suffix = switch (part) {
                case ATTN_NORM -> "input_layernorm.weight";
                case Q -> "self_attn.q_proj.weight";
                case K -> "self_attn.k_proj.weight";
                case V -> "self_attn.v_proj.weight";
                case O -> "self_attn.o_proj.weight";
                case Q_BIAS -> "self_attn.q_proj.bias";
                case K_BIAS -> "self_attn.k_proj.bias";
                case V_BIAS -> "self_attn.v_proj.bias";
                case Q_NORM -> "self_attn.q_norm.weight";
                case K_NORM -> "self_attn.k_norm.weight";
                case FFN_NORM -> "post_attention_layernorm.weight";
                case GATE -> "mlp.gate_proj.weight";
                case UP -> "mlp.up_proj.weight";
                case DOWN -> "mlp.down_proj.weight";
            };
            return "model.layers." + layer + "." + suffix;
        }
    };
}
