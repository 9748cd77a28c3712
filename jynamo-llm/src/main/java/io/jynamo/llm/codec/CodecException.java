package io.jynamo.llm.codec;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.JynamoException;

/**
 * A message on the request or event plane that does not decode (BAD_REQUEST). Its own type rather
 * than the module's {@code LlmException}, so that this package needs nothing of the module's root
 * package and the two stay free of a cycle.
 */
public final class CodecException extends JynamoException {
    CodecException(String message) {
        super(ErrorCategory.BAD_REQUEST, message, null);
    }

    CodecException(String message, Throwable cause) {
        super(ErrorCategory.BAD_REQUEST, message, cause);
    }
}
