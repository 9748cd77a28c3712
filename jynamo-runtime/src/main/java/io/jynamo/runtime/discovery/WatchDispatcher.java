package io.jynamo.runtime.discovery;

import io.jynamo.runtime.DiscoveryStore.WatchEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/** Delivers one watch's events in order on a thread of its own, so a slow listener delays only itself. */
final class WatchDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WatchDispatcher.class);

    private final String prefix;
    private final Consumer<WatchEvent> listener;
    private final ExecutorService executor;
    private volatile boolean closed;

    WatchDispatcher(String prefix, Consumer<WatchEvent> listener) {
        this.prefix = prefix;
        this.listener = listener;
        this.executor = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("watch-" + prefix).factory());
    }

    String prefix() {
        return prefix;
    }

    boolean matches(String key) {
        return key.startsWith(prefix);
    }

    void deliver(WatchEvent event) {
        if (closed) {
            return;
        }
        executor.execute(() -> {
            if (closed) {
                return;
            }
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("a watch listener of '{}' failed on {}", prefix, event.key(), e);
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        executor.shutdown();
    }
}
