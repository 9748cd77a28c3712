package io.jynamo.engine;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.JynamoException;

/** The engine's one unchecked exception; the message is a single line meant for the user. */
public final class EngineException extends JynamoException {
    public EngineException(ErrorCategory category, String message) {
        super(category, message, null);
    }

    public EngineException(ErrorCategory category, String message, Throwable cause) {
        super(category, message, cause);
    }

    public static EngineException badInput(String message) {
        return new EngineException(ErrorCategory.BAD_REQUEST, message);
    }

    public static EngineException notFound(String message) {
        return new EngineException(ErrorCategory.NOT_FOUND, message);
    }

    public static EngineException internal(String message, Throwable cause) {
        return new EngineException(ErrorCategory.INTERNAL, message, cause);
    }
}
