package io.jynamo.api.engine;

import io.jynamo.api.output.EngineOutput;

import java.util.concurrent.TimeUnit;

/**
 * The outputs of one request, read by one caller thread. The engine never waits for the reader:
 * tokens not yet taken gather into one pending {@link EngineOutput.Tokens} item per sequence. Each
 * of the request's n sequences ends with exactly one Finished or Failed item.
 */
public interface RequestStream {
    String requestId();

    /** The next item, waiting as long as it takes; null once every sequence's terminal item was taken. */
    EngineOutput take() throws InterruptedException;

    /** The next item, or null if none came within the timeout or the stream is over. */
    EngineOutput poll(long timeout, TimeUnit unit) throws InterruptedException;

    /** Whether every terminal item has been taken. */
    boolean isDone();

    /** Prompt tokens whose KV came from the prefix cache when the request was first scheduled. */
    int cachedPromptTokens();

    /** Same as {@link Engine#cancel} for this request. */
    void cancel();
}
