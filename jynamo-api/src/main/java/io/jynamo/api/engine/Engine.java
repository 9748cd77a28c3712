package io.jynamo.api.engine;

import io.jynamo.api.kv.KvEvent;
import io.jynamo.api.request.PreprocessedRequest;

import java.util.function.Consumer;

/**
 * A serving engine: requests go in from any thread, each answered by a {@link RequestStream} the
 * caller reads on its own thread. The engine batches every running sequence into one forward pass
 * per step (continuous batching).
 */
public interface Engine extends AutoCloseable {
    /**
     * Queues a request. Checks it first, on the caller's thread: a request that can never run
     * (prompt + max_tokens beyond the context or the KV pool, token ids outside the vocabulary, an
     * id already in flight) throws a BAD_REQUEST exception; a full waiting queue throws UNAVAILABLE.
     */
    RequestStream submit(PreprocessedRequest request);

    /** Stops a request at the next step; its sequences end with FinishReason.CANCELLED. Unknown ids are ignored. */
    void cancel(String requestId);

    /** A snapshot taken at the end of the last step. */
    EngineMetrics metrics();

    /**
     * Adds a listener for the prefix cache's KV events. It is called on the step thread, in event
     * order, and must return quickly (hand the event to a queue).
     */
    void subscribeKvEvents(Consumer<KvEvent.Envelope> listener);

    /** Stops the step loop; requests still in flight end with an UNAVAILABLE failure. */
    @Override
    void close();
}
