package io.jynamo.frontend;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.JynamoException;

/**
 * The frontend's root exception. The HTTP edge turns it into an OpenAI error body; {@code param}
 * names the request field at fault, when there is one.
 */
public final class FrontendException extends JynamoException {
    private final String param;

    public FrontendException(ErrorCategory category, String message) {
        this(category, message, null, null);
    }

    public FrontendException(ErrorCategory category, String message, String param, Throwable cause) {
        super(category, message, cause);
        this.param = param;
    }

    /** An invalid request field. */
    public static FrontendException badField(String param, String message) {
        return new FrontendException(ErrorCategory.BAD_REQUEST, message, param, null);
    }

    /** The request field at fault, or null. */
    public String param() {
        return param;
    }
}
