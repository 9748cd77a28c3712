package io.jynamo.frontend.openai;

/** Token counts of a response. */
public record Usage(long promptTokens, long completionTokens) {
}
