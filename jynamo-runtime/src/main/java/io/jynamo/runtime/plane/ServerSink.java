package io.jynamo.runtime.plane;

import io.jynamo.api.ErrorCategory;
import io.jynamo.runtime.ResponseSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The state every transport's sink shares: ended once, cancelled once with its listeners. Subclasses
 * only write frames; they are called at most once for the terminal item and never after it.
 */
public abstract class ServerSink implements ResponseSink {
    private static final Logger LOG = LoggerFactory.getLogger(ServerSink.class);

    private boolean ended;
    private boolean cancelled;
    private final List<Runnable> cancelActions = new ArrayList<>(1);

    protected abstract void writeData(byte[] item);

    protected abstract void writeEnd();

    protected abstract void writeError(ErrorCategory category, String message);

    /** Called once after the terminal item was written (or the stream was abandoned). */
    protected void released() {
    }

    @Override
    public final synchronized void send(byte[] item) {
        if (!ended) {
            writeData(item);
        }
    }

    @Override
    public final void end() {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            writeEnd();
        }
        released();
    }

    @Override
    public final void error(ErrorCategory category, String message) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            writeError(category, message);
        }
        released();
    }

    /** The transport lost the client: nothing more can be written, and the handler is told to stop. */
    public final void abandon() {
        synchronized (this) {
            ended = true;
        }
        cancel();
    }

    public final synchronized boolean ended() {
        return ended;
    }

    /** The client cancelled: runs the cancel actions once. */
    public final void cancel() {
        List<Runnable> actions;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            actions = List.copyOf(cancelActions);
            cancelActions.clear();
        }
        actions.forEach(ServerSink::runQuietly);
    }

    @Override
    public final synchronized boolean isCancelled() {
        return cancelled;
    }

    @Override
    public final void onCancel(Runnable action) {
        synchronized (this) {
            if (!cancelled) {
                cancelActions.add(action);
                return;
            }
        }
        runQuietly(action);
    }

    private static void runQuietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("a cancel action failed", e);
        }
    }
}
