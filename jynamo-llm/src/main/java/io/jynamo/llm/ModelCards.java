package io.jynamo.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.jynamo.api.request.SamplingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Set;

/** Builds {@link ModelCard}s from a Hugging Face model directory or a GGUF vocabulary. */
public final class ModelCards {
    /** End-of-turn tokens llama.cpp also treats as end of generation when a vocabulary has them. */
    private static final String[] END_OF_TURN = {"<|eot_id|>", "<|eom_id|>", "<|im_end|>", "<|end|>",
            "<end_of_turn>", "<|endoftext|>", "<|return|>", "<|end_of_text|>"};

    private ModelCards() {
    }

    /**
     * A model directory as Hugging Face writes it: tokenizer.json (required), tokenizer_config.json
     * (BOS/EOS texts, chat template), chat_template.jinja, generation_config.json ({@code eos_token_id}, an
     * int or a list) and config.json ({@code max_position_embeddings}).
     *
     * @param contextLength the served context length, or 0 for the model's {@code max_position_embeddings}
     */
    public static ModelCard fromHuggingFaceDirectory(Path dir, String servedName, int contextLength, int kvBlockSize,
                                                     Clock clock) {
        if (!Files.isDirectory(dir)) {
            throw LlmException.notFound("model directory not found: " + dir);
        }
        Tokenizer tokenizer = Tokenizers.fromHuggingFace(dir.resolve("tokenizer.json"));
        Path configPath = dir.resolve("tokenizer_config.json");
        JsonNode tokCfg = Files.isRegularFile(configPath) ? ChatTemplates.readJson(configPath) : null;
        String bos = tokCfg == null ? "" : ChatTemplates.tokenText(tokCfg.get("bos_token"));
        String eos = tokCfg == null ? "" : ChatTemplates.tokenText(tokCfg.get("eos_token"));
        Set<Integer> eosIds = new LinkedHashSet<>();
        Path genPath = dir.resolve("generation_config.json");
        SamplingOptions sampling = SamplingOptions.DEFAULTS;
        if (Files.isRegularFile(genPath)) {
            JsonNode gen = ChatTemplates.readJson(genPath);
            sampling = samplingDefaults(gen, genPath);
            JsonNode e = gen.get("eos_token_id");
            if (e != null && e.isInt()) {
                eosIds.add(e.asInt());
            } else if (e != null && e.isArray()) {
                e.forEach(id -> eosIds.add(id.asInt()));
            } else if (e != null && !e.isNull()) {
                throw LlmException.badInput(genPath + ": eos_token_id is neither an int nor a list of ints");
            }
        }
        if (!eos.isEmpty() && tokenizer.tokenId(eos) >= 0) {
            eosIds.add(tokenizer.tokenId(eos));
        }
        int ctx = contextLength;
        if (ctx <= 0) {
            Path cfgPath = dir.resolve("config.json");
            JsonNode max = Files.isRegularFile(cfgPath)
                    ? ChatTemplates.readJson(cfgPath).get("max_position_embeddings") : null;
            if (max == null || !max.canConvertToInt() || max.asInt() <= 0) {
                throw LlmException.badInput(dir + ": no context length given and config.json has no "
                        + "max_position_embeddings");
            }
            ctx = max.asInt();
        }
        ChatTemplate template = ChatTemplates.fromModelDirectory(dir, clock);
        return new ModelCard(servedName, tokenizer, template, bos, eos,
                eosIds.stream().mapToInt(Integer::intValue).toArray(), ctx, kvBlockSize, sampling);
    }

    /**
     * The sampling defaults a generation_config.json sets, over {@link SamplingOptions#DEFAULTS}. As in
     * transformers, {@code do_sample: false} means greedy whatever the temperature says.
     */
    static SamplingOptions samplingDefaults(JsonNode gen, Path where) {
        SamplingOptions d = SamplingOptions.DEFAULTS;
        try {
            SamplingOptions s = new SamplingOptions(number(gen, "temperature", d.temperature()),
                    gen.path("top_k").canConvertToInt() ? gen.get("top_k").asInt() : d.topK(),
                    number(gen, "top_p", d.topP()), number(gen, "min_p", d.minP()), null,
                    number(gen, "repetition_penalty", d.repetitionPenalty()), d.frequencyPenalty(), d.presencePenalty());
            JsonNode sample = gen.get("do_sample");
            return sample != null && sample.isBoolean() && !sample.asBoolean() ? s.withTemperature(0f) : s;
        } catch (io.jynamo.api.JynamoException e) {
            throw LlmException.badInput(where + ": " + e.getMessage());
        }
    }

    private static float number(JsonNode o, String field, float otherwise) {
        JsonNode v = o.get(field);
        return v != null && v.isNumber() ? v.floatValue() : otherwise;
    }

    /**
     * A model served from a GGUF file: its vocabulary's tokenizer and chat template; EOS is the vocabulary's
     * EOS plus the end-of-turn control tokens it has.
     *
     * @param contextLength the served context length (the GGUF's {@code <arch>.context_length} or less)
     */
    public static ModelCard fromGguf(GgufVocab vocab, String servedName, int contextLength, int kvBlockSize,
                                     Clock clock) {
        Tokenizer tokenizer = Tokenizers.fromGguf(vocab);
        String[] tokens = vocab.tokens();
        Set<Integer> eosIds = new LinkedHashSet<>();
        if (vocab.eosId() >= 0) {
            eosIds.add(vocab.eosId());
        }
        for (String t : END_OF_TURN) {
            int id = tokenizer.tokenId(t);
            if (id >= 0 && vocab.tokenType(id) == GgufVocab.TYPE_CONTROL) {
                eosIds.add(id);
            }
        }
        if (contextLength <= 0) {
            throw LlmException.badInput("context length must be positive, got " + contextLength);
        }
        return new ModelCard(servedName, tokenizer, ChatTemplates.fromGguf(vocab, clock),
                vocab.bosId() >= 0 ? tokens[vocab.bosId()] : "", vocab.eosId() >= 0 ? tokens[vocab.eosId()] : "",
                eosIds.stream().mapToInt(Integer::intValue).toArray(), contextLength, kvBlockSize);
    }
}
