package io.jynamo.engine.sample;

/** A token with its log-probability (natural log), as OpenAI's {@code logprobs} reports it. */
public record TokenLogprob(int token, float logprob) {
}
