package io.jynamo.runtime;

/**
 * Answers the requests of an endpoint. It sends items to the sink and ends it (possibly after
 * returning, from another thread). A {@link io.jynamo.api.JynamoException} it throws ends the stream
 * with a failure of that category; any other exception with INTERNAL.
 */
@FunctionalInterface
public interface RequestHandler {
    void handle(byte[] request, ResponseSink sink) throws Exception;
}
