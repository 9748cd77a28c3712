package io.jynamo.runtime.inproc;

import io.jynamo.runtime.EventPlane;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Events handed from publisher to subscribers within the JVM. Each subscription has a bounded queue
 * and a virtual thread of its own; a publisher never waits: when a subscriber's queue is full the
 * event is dropped for that subscriber and counted (KV events carry ids, so a router sees the gap and
 * asks for a dump, as it would after a lost NATS message).
 */
public final class InProcessEventPlane implements EventPlane {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessEventPlane.class);
    /** Events waiting per subscription before new ones are dropped. */
    public static final int QUEUE_CAPACITY = 65_536;

    private final List<Sub> subs = new CopyOnWriteArrayList<>();

    @Override
    public void publish(String subject, byte[] payload) {
        Event event = new Event(subject, payload.clone());
        for (Sub s : subs) {
            if (s.pattern.matches(subject) && !s.queue.offer(event)) {
                if (s.dropped.getAndIncrement() == 0) {
                    LOG.warn("a subscriber of '{}' is {} events behind; dropping events for it", s.subject, QUEUE_CAPACITY);
                }
            }
        }
    }

    @Override
    public Subscription subscribe(String subject, Consumer<Event> listener) {
        Sub s = new Sub(subject, new SubjectPattern(subject), listener);
        subs.add(s);
        s.thread = Thread.ofVirtual().name("events-" + subject).start(s::deliver);
        return () -> {
            subs.remove(s);
            s.thread.interrupt();
        };
    }

    /** Events dropped for slow subscribers so far. */
    public long dropped() {
        return subs.stream().mapToLong(s -> s.dropped.get()).sum();
    }

    @Override
    public void close() {
        subs.forEach(s -> s.thread.interrupt());
        subs.clear();
    }

    private static final class Sub {
        final String subject;
        final SubjectPattern pattern;
        final Consumer<Event> listener;
        final ArrayBlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
        final AtomicLong dropped = new AtomicLong();
        volatile Thread thread;

        Sub(String subject, SubjectPattern pattern, Consumer<Event> listener) {
            this.subject = subject;
            this.pattern = pattern;
            this.listener = listener;
        }

        void deliver() {
            try {
                while (true) {
                    Event e = queue.take();
                    try {
                        listener.accept(e);
                    } catch (RuntimeException ex) {
                        LOG.warn("an event listener of '{}' failed", subject, ex);
                    }
                }
            } catch (InterruptedException done) {
                // unsubscribed
            }
        }
    }
}
