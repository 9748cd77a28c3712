package io.jynamo.api.output;

import io.jynamo.api.ErrorCategory;

import java.util.List;
import java.util.Objects;

/**
 * One item of the stream an engine returns for a sequence: new tokens, then exactly one terminal
 * item (finished or failed). {@code index} tells the sequences of an n &gt; 1 request apart.
 */
public sealed interface EngineOutput permits EngineOutput.Tokens, EngineOutput.Finished, EngineOutput.Failed {
    int index();

    /**
     * New tokens of sequence {@code index}.
     *
     * @param logprobs    per token, the chosen token's log-probability, or null when not asked for
     * @param topLogprobs per token, the most likely alternatives, or null when not asked for
     */
    record Tokens(int index, int[] tokenIds, float[] logprobs, List<List<TokenLogprob>> topLogprobs)
            implements EngineOutput {
        public Tokens {
            Objects.requireNonNull(tokenIds, "tokenIds");
        }
    }

    /** The sequence ended normally (or was cancelled), after promptTokens in and completionTokens out. */
    record Finished(int index, FinishReason reason, int promptTokens, int completionTokens) implements EngineOutput {
        public Finished {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The sequence failed; the message is meant for the user. */
    record Failed(int index, ErrorCategory category, String message) implements EngineOutput {
        public Failed {
            Objects.requireNonNull(category, "category");
            Objects.requireNonNull(message, "message");
        }
    }
}
