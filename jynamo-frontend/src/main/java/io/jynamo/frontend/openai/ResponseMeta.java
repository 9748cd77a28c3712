package io.jynamo.frontend.openai;

import io.jynamo.llm.Tokenizer;

/**
 * What every body and chunk of one response shares.
 *
 * @param id           {@code chatcmpl-…} or {@code cmpl-…}
 * @param created      seconds since the epoch
 * @param logprobs     whether choices carry logprobs
 * @param includeUsage stream_options.include_usage: chunks carry {@code "usage": null} and a last usage chunk follows
 */
public record ResponseMeta(String id, long created, String model, boolean chat, Tokenizer tokenizer,
                           boolean logprobs, boolean includeUsage) {
}
