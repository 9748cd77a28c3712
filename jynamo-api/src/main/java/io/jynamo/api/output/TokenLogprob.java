package io.jynamo.api.output;

/** A token and its log-probability. */
public record TokenLogprob(int token, float logprob) {
}
