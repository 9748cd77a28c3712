package io.jynamo.router;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.JynamoException;

/** The router module's one unchecked exception: a bad setting, or no instance left to take a request. */
public final class RouterException extends JynamoException {
    public RouterException(ErrorCategory category, String message) {
        super(category, message, null);
    }

    static RouterException badRequest(String message) {
        return new RouterException(ErrorCategory.BAD_REQUEST, message);
    }
}
