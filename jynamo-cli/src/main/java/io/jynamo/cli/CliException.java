package io.jynamo.cli;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.JynamoException;

/** A command that cannot do what it was asked; the message is the one line the user sees. */
final class CliException extends JynamoException {
    CliException(ErrorCategory category, String message) {
        super(category, message, null);
    }

    static CliException badInput(String message) {
        return new CliException(ErrorCategory.BAD_REQUEST, message);
    }

    static CliException unavailable(String message) {
        return new CliException(ErrorCategory.UNAVAILABLE, message);
    }
}
