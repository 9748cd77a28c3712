package io.jynamo.runtime;

import java.util.concurrent.TimeUnit;

/** The client's side of one call: items in order, the last one terminal, then null. */
public interface ResponseStream extends AutoCloseable {
    /** The next item, waiting as long as it takes; null after the terminal item was taken. */
    ResponseItem take() throws InterruptedException;

    /** The next item, or null if none came within the timeout or the stream is over. */
    ResponseItem poll(long timeout, TimeUnit unit) throws InterruptedException;

    /** Whether the terminal item was taken. */
    boolean isDone();

    /** Asks the server to stop; the stream still ends with its terminal item. */
    void cancel();

    /** Cancels if not done. */
    @Override
    default void close() {
        if (!isDone()) {
            cancel();
        }
    }
}
