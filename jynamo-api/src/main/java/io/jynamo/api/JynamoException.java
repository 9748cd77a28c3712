package io.jynamo.api;

import java.util.Objects;

/**
 * Root of every module's unchecked exception. Its message is written for the user: one line that
 * names the file, value or limit at fault, never an internal detail.
 */
public abstract class JynamoException extends RuntimeException {
    private final ErrorCategory category;

    protected JynamoException(ErrorCategory category, String message, Throwable cause) {
        super(message, cause);
        this.category = Objects.requireNonNull(category, "category");
    }

    public ErrorCategory category() {
        return category;
    }
}
