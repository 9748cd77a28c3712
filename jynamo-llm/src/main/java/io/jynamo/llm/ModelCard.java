package io.jynamo.llm;

import io.jynamo.api.request.SamplingOptions;

import java.util.Objects;

/**
 * What a frontend needs to serve a model without its weights: how to tokenize, how to render a
 * chat, which ids end a sequence, how long a sequence may be.
 *
 * @param servedName    the name clients ask for ({@code model} in the request)
 * @param tokenizer     the model's tokenizer
 * @param chatTemplate  the chat template, or null when the model has none (chat requests are then refused)
 * @param bosToken      the BOS token's text, as templates see it ({@code bos_token}), or "" if none
 * @param eosToken      the EOS token's text ({@code eos_token}), or "" if none
 * @param eosTokenIds   ids that end generation (EOS, end-of-turn)
 * @param contextLength longest sequence (prompt + output) the model is served with
 * @param kvBlockSize   the engine's KV block size in tokens
 * @param samplingDefaults what a request that sets no sampling field gets: {@link SamplingOptions#DEFAULTS}
 *                      with whatever the model's generation_config.json sets (temperature, top_p, top_k,
 *                      min_p, repetition_penalty), as vLLM applies it
 */
public record ModelCard(String servedName, Tokenizer tokenizer, ChatTemplate chatTemplate, String bosToken,
                        String eosToken, int[] eosTokenIds, int contextLength, int kvBlockSize,
                        SamplingOptions samplingDefaults) {
    /** A card whose model sets no sampling defaults. */
    public ModelCard(String servedName, Tokenizer tokenizer, ChatTemplate chatTemplate, String bosToken,
                     String eosToken, int[] eosTokenIds, int contextLength, int kvBlockSize) {
        this(servedName, tokenizer, chatTemplate, bosToken, eosToken, eosTokenIds, contextLength, kvBlockSize,
                SamplingOptions.DEFAULTS);
    }

    public ModelCard {
        samplingDefaults = samplingDefaults == null ? SamplingOptions.DEFAULTS : samplingDefaults;
        Objects.requireNonNull(servedName, "servedName");
        Objects.requireNonNull(tokenizer, "tokenizer");
        bosToken = bosToken == null ? "" : bosToken;
        eosToken = eosToken == null ? "" : eosToken;
        eosTokenIds = eosTokenIds == null ? new int[0] : eosTokenIds.clone();
    }

    @Override
    public int[] eosTokenIds() {
        return eosTokenIds.clone();
    }
}
