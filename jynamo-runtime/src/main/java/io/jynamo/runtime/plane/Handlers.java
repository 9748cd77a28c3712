package io.jynamo.runtime.plane;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.JynamoException;
import io.jynamo.runtime.RequestHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a handler for one request on a virtual thread and turns what it throws into a failure. */
public final class Handlers {
    private static final Logger LOG = LoggerFactory.getLogger(Handlers.class);

    private Handlers() {
    }

    public static void start(RequestHandler handler, byte[] request, ServerSink sink) {
        Thread.ofVirtual().name("request-handler").start(() -> run(handler, request, sink));
    }

    public static void run(RequestHandler handler, byte[] request, ServerSink sink) {
        try {
            handler.handle(request, sink);
        } catch (JynamoException e) {
            sink.error(e.category(), e.getMessage());
        } catch (InterruptedException e) {
            sink.error(ErrorCategory.UNAVAILABLE, "the server is shutting down");
        } catch (Exception e) {
            LOG.warn("a request handler failed", e);
            sink.error(ErrorCategory.INTERNAL, "the handler failed: " + e);
        }
    }
}
