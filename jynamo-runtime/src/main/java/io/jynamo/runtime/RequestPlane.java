package io.jynamo.runtime;

/**
 * Carries requests to instances and streams their responses back: a request is one body, its
 * response a sequence of data items ending with exactly one terminal item (end, or failure).
 * Implementations: TCP (the default), NATS and in-process. A server that goes away mid-stream ends
 * the streams of its clients with an UNAVAILABLE failure.
 */
public interface RequestPlane extends AutoCloseable {
    Transport.Kind kind();

    /**
     * Serves an endpoint: each request runs {@code handler} on a virtual thread of its own. The returned
     * handle names the {@link Instance} (with this plane's address) to register in discovery.
     */
    ServedEndpoint serve(EndpointId endpoint, long instanceId, RequestHandler handler);

    /** Sends a request to an instance. Never blocks for the response: read it from the stream. */
    ResponseStream call(Instance instance, byte[] request);

    /** Stops serving and closes connections; streams still open end with UNAVAILABLE. */
    @Override
    void close();
}
