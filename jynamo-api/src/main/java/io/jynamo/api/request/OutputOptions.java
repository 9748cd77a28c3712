package io.jynamo.api.request;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.RequestException;

/**
 * What each output carries besides the tokens.
 *
 * @param logprobs    the chosen tokens' log-probabilities
 * @param topLogprobs how many most likely alternatives per position (0..20, as OpenAI allows)
 */
public record OutputOptions(boolean logprobs, int topLogprobs) {
    public static final int MAX_TOP_LOGPROBS = 20;
    public static final OutputOptions NONE = new OutputOptions(false, 0);

    public OutputOptions {
        if (topLogprobs < 0 || topLogprobs > MAX_TOP_LOGPROBS) {
            throw new RequestException(ErrorCategory.BAD_REQUEST,
                    "top_logprobs must be between 0 and " + MAX_TOP_LOGPROBS + ", got " + topLogprobs);
        }
        if (topLogprobs > 0 && !logprobs) {
            throw new RequestException(ErrorCategory.BAD_REQUEST, "top_logprobs needs logprobs to be enabled");
        }
    }
}
