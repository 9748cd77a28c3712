package io.jynamo.llm;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.JynamoException;

/** The llm module's one unchecked exception; the message is a single line that names the file or value at fault. */
public final class LlmException extends JynamoException {
    public LlmException(ErrorCategory category, String message) {
        super(category, message, null);
    }

    public LlmException(ErrorCategory category, String message, Throwable cause) {
        super(category, message, cause);
    }

    /** A file or value that cannot be used (malformed tokenizer.json, unknown GGUF tokenizer model). */
    public static LlmException badInput(String message) {
        return new LlmException(ErrorCategory.BAD_REQUEST, message);
    }

    public static LlmException badInput(String message, Throwable cause) {
        return new LlmException(ErrorCategory.BAD_REQUEST, message, cause);
    }

    public static LlmException notFound(String message) {
        return new LlmException(ErrorCategory.NOT_FOUND, message);
    }

    public static LlmException internal(String message, Throwable cause) {
        return new LlmException(ErrorCategory.INTERNAL, message, cause);
    }
}
