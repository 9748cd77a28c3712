package io.jynamo.runtime.plane;

import io.jynamo.runtime.ResponseItem;
import io.jynamo.runtime.ResponseStream;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client stream fed by a transport: {@link #deliver} from the transport's thread, take/poll from
 * the caller's. Nothing is delivered after the first terminal item. The queue is unbounded by count
 * but each stream is bounded by what its request asks for (max_tokens × n items at most).
 */
public final class ClientStream implements ResponseStream {
    private final LinkedBlockingQueue<ResponseItem> queue = new LinkedBlockingQueue<>();
    private final Runnable canceller;
    private volatile boolean terminated;
    private volatile boolean done;
    private volatile boolean cancelSent;

    /** @param canceller sends the cancellation to the server (called at most once) */
    public ClientStream(Runnable canceller) {
        this.canceller = canceller;
    }

    /** Transport thread: one more item; false if the stream had already ended. */
    public synchronized boolean deliver(ResponseItem item) {
        if (terminated) {
            return false;
        }
        terminated = item.terminal();
        queue.add(item);
        return true;
    }

    public boolean terminated() {
        return terminated;
    }

    @Override
    public ResponseItem take() throws InterruptedException {
        if (done) {
            return null;
        }
        return taken(queue.take());
    }

    @Override
    public ResponseItem poll(long timeout, TimeUnit unit) throws InterruptedException {
        if (done) {
            return null;
        }
        return taken(queue.poll(timeout, unit));
    }

    private ResponseItem taken(ResponseItem item) {
        if (item != null && item.terminal()) {
            done = true;
        }
        return item;
    }

    @Override
    public boolean isDone() {
        return done;
    }

    @Override
    public void cancel() {
        if (terminated || cancelSent) {
            return;
        }
        cancelSent = true;
        canceller.run();
    }
}
