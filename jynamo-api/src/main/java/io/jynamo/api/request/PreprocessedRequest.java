package io.jynamo.api.request;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.RequestException;

import java.util.Objects;

/**
 * A request as an engine receives it: the prompt already tokenized, with how to sample, when to
 * stop and what to report. {@code n} sequences share the prompt.
 */
public record PreprocessedRequest(String requestId, String model, int[] tokenIds, SamplingOptions sampling,
                                  StopConditions stop, OutputOptions output, int n) {
    /** Most sequences one request may ask for. */
    public static final int MAX_N = 128;

    public PreprocessedRequest {
        Objects.requireNonNull(requestId, "requestId");
        if (tokenIds == null || tokenIds.length == 0) {
            throw new RequestException(ErrorCategory.BAD_REQUEST, "the prompt is empty");
        }
        if (n < 1 || n > MAX_N) {
            throw new RequestException(ErrorCategory.BAD_REQUEST, "n must be between 1 and " + MAX_N + ", got " + n);
        }
        tokenIds = tokenIds.clone();
        sampling = sampling == null ? SamplingOptions.DEFAULTS : sampling;
        stop = stop == null ? StopConditions.maxTokens(16) : stop;
        output = output == null ? OutputOptions.NONE : output;
    }

    @Override
    public int[] tokenIds() {
        return tokenIds.clone();
    }

    public int promptLength() {
        return tokenIds.length;
    }
}
