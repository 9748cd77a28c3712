package io.jynamo.api;

/** A request that breaks the contract's rules; the frontend answers it with HTTP 400. */
public final class RequestException extends JynamoException {
    public RequestException(ErrorCategory category, String message) {
        super(category, message, null);
    }
}
