package io.jynamo.runtime;

import io.jynamo.api.ErrorCategory;

/**
 * Where a handler writes one response stream. Thread-safe; after {@link #end()} or {@link #error}
 * further calls are ignored.
 */
public interface ResponseSink {
    void send(byte[] item);

    /** Ends the stream normally. */
    void end();

    /** Sends the last item and ends the stream; a transport may put both on the wire at once. */
    default void sendLast(byte[] item) {
        send(item);
        end();
    }

    /** Ends the stream with a failure the client sees with the same category. */
    void error(ErrorCategory category, String message);

    /** Whether the client cancelled (or went away). */
    boolean isCancelled();

    /** Runs {@code action} once when the client cancels or goes away (at once if it already has). */
    void onCancel(Runnable action);
}
