package io.jynamo.api.request;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.RequestException;

/**
 * When generation ends.
 *
 * @param maxTokens    most tokens to generate (at least 1)
 * @param minTokens    tokens to generate before EOS or a stop token may end the sequence
 * @param stopTokenIds extra token ids that end the sequence (EOS is the model's own)
 * @param ignoreEos    keep generating past EOS until maxTokens
 */
public record StopConditions(int maxTokens, int minTokens, int[] stopTokenIds, boolean ignoreEos) {
    public StopConditions {
        if (maxTokens < 1) {
            throw new RequestException(ErrorCategory.BAD_REQUEST, "max_tokens must be at least 1, got " + maxTokens);
        }
        if (minTokens < 0 || minTokens > maxTokens) {
            throw new RequestException(ErrorCategory.BAD_REQUEST,
                    "min_tokens must be between 0 and max_tokens (" + maxTokens + "), got " + minTokens);
        }
        stopTokenIds = stopTokenIds == null ? new int[0] : stopTokenIds.clone();
    }

    public static StopConditions maxTokens(int maxTokens) {
        return new StopConditions(maxTokens, 0, null, false);
    }

    @Override
    public int[] stopTokenIds() {
        return stopTokenIds.clone();
    }
}
