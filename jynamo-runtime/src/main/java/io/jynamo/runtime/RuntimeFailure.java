package io.jynamo.runtime;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.JynamoException;

/** The runtime module's one unchecked exception: discovery, request plane and event plane failures. */
public final class RuntimeFailure extends JynamoException {
    public RuntimeFailure(ErrorCategory category, String message) {
        super(category, message, null);
    }

    public RuntimeFailure(ErrorCategory category, String message, Throwable cause) {
        super(category, message, cause);
    }

    public static RuntimeFailure badRequest(String message) {
        return new RuntimeFailure(ErrorCategory.BAD_REQUEST, message);
    }

    public static RuntimeFailure unavailable(String message, Throwable cause) {
        return new RuntimeFailure(ErrorCategory.UNAVAILABLE, message, cause);
    }
}
