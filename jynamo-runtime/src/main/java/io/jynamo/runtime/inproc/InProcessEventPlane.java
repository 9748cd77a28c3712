package io.jynamo.runtime.inproc;

import io.jynamo.runtime.EventPlane;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/** Events handed from publisher to subscribers within the JVM; each subscription has its own delivery thread. */
public final class InProcessEventPlane implements EventPlane {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessEventPlane.class);

    private final List<Sub> subs = new CopyOnWriteArrayList<>();

    @Override
    public void publish(String subject, byte[] payload) {
        Event event = new Event(subject, payload.clone());
        for (Sub s : subs) {
            if (s.pattern.matches(subject)) {
                s.executor.execute(() -> {
                    try {
                        s.listener.accept(event);
                    } catch (RuntimeException e) {
                        LOG.warn("an event listener of '{}' failed", subject, e);
                    }
                });
            }
        }
    }

    @Override
    public Subscription subscribe(String subject, Consumer<Event> listener) {
        Sub s = new Sub(new SubjectPattern(subject), listener,
                Executors.newSingleThreadExecutor(Thread.ofVirtual().name("events-" + subject).factory()));
        subs.add(s);
        return () -> {
            subs.remove(s);
            s.executor.shutdown();
        };
    }

    @Override
    public void close() {
        subs.forEach(s -> s.executor.shutdown());
        subs.clear();
    }

    private record Sub(SubjectPattern pattern, Consumer<Event> listener, ExecutorService executor) {
    }
}
