package io.jynamo.api.output;

/** Why a sequence ended, in OpenAI's words where it has them. */
public enum FinishReason {
    /** EOS, a stop token or a stop string. */
    STOP,
    /** max_tokens or the context length. */
    LENGTH,
    /** The client went away or cancelled. */
    CANCELLED,
    /** The engine failed this sequence. */
    ERROR
}
