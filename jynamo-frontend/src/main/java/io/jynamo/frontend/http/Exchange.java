package io.jynamo.frontend.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP request and its response, used from the request's virtual thread(s). Writes are
 * serialized here; once the client is gone they are dropped and the close listeners (engine
 * cancellation) have run. A writer waits while the connection's write queue is full, so a slow
 * client slows the reading of its engine stream instead of growing a buffer.
 */
final class Exchange {
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    final String requestId;
    final long startNanos;
    private final HttpServerResponse response;
    private final List<Runnable> onClose = new ArrayList<>();
    private volatile boolean closed;
    private boolean ended;
    private boolean streaming;

    /** Event loop: called when the request arrives. */
    Exchange(HttpServerRequest request, String requestId, long startNanos) {
        this.requestId = requestId;
        this.startNanos = startNanos;
        this.response = request.response();
        response.putHeader("x-request-id", requestId);
        response.closeHandler(v -> clientGone());
        response.exceptionHandler(e -> clientGone());
    }

    boolean closed() {
        return closed;
    }

    /** Runs {@code r} when the client goes away (at once if it already has). */
    void onClose(Runnable r) {
        synchronized (onClose) {
            if (!closed) {
                onClose.add(r);
                return;
            }
        }
        r.run();
    }

    private void clientGone() {
        List<Runnable> run;
        synchronized (onClose) {
            if (closed) {
                return;
            }
            closed = true;
            run = List.copyOf(onClose);
            onClose.clear();
        }
        run.forEach(Runnable::run);
    }

    /** Seconds a client is told to wait before it retries a 503 (the service is busy or a worker is restarting). */
    static final String RETRY_AFTER_SECONDS = "2";

    synchronized void json(int status, byte[] body) {
        if (ended || closed) {
            return;
        }
        ended = true;
        if (status == 503) {
            response.putHeader("retry-after", RETRY_AFTER_SECONDS);
        }
        response.setStatusCode(status).putHeader("content-type", "application/json").end(Buffer.buffer(body));
    }

    synchronized void text(int status, String contentType, byte[] body) {
        if (ended || closed) {
            return;
        }
        ended = true;
        response.setStatusCode(status).putHeader("content-type", contentType).end(Buffer.buffer(body));
    }

    /** Answers with the error; once a stream has begun, as an error event that ends it. */
    synchronized void fail(HttpError e) {
        if (streaming) {
            event(e.body());
            done();
        } else {
            json(e.status(), e.body());
        }
    }

    synchronized void startSse() {
        streaming = true;
        response.setStatusCode(200).setChunked(true).putHeader("content-type", "text/event-stream")
                .putHeader("cache-control", "no-cache");
    }

    /** One {@code data: …} event. */
    synchronized void event(byte[] json) {
        if (ended || closed) {
            return;
        }
        waitForDrain();
        response.write(Buffer.buffer(json.length + DATA.length + END.length).appendBytes(DATA).appendBytes(json)
                .appendBytes(END));
    }

    /** {@code data: [DONE]} and the end of the response. */
    synchronized void done() {
        if (ended || closed) {
            return;
        }
        ended = true;
        response.end(Buffer.buffer(DONE));
    }

    private void waitForDrain() {
        while (!closed && response.writeQueueFull()) {
            CompletableFuture<Void> drained = new CompletableFuture<>();
            response.drainHandler(v -> drained.complete(null));
            if (!response.writeQueueFull()) {
                return;
            }
            try {
                drained.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // look at closed again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                return;
            }
        }
    }
}
