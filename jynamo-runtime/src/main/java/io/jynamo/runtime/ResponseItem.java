package io.jynamo.runtime;

import io.jynamo.api.ErrorCategory;

import java.util.Objects;

/** One item of a response stream: data, or one of the two terminal items. */
public sealed interface ResponseItem permits ResponseItem.Data, ResponseItem.End, ResponseItem.Failure {
    /** A data item, as the handler sent it. */
    record Data(byte[] body) implements ResponseItem {
        public Data {
            Objects.requireNonNull(body, "body");
        }
    }

    /** The stream ended normally. */
    record End() implements ResponseItem {
    }

    /** The stream ended with a failure: the handler's, or the transport's (UNAVAILABLE). */
    record Failure(ErrorCategory category, String message) implements ResponseItem {
        public Failure {
            Objects.requireNonNull(category, "category");
            Objects.requireNonNull(message, "message");
        }
    }

    default boolean terminal() {
        return !(this instanceof Data);
    }
}
