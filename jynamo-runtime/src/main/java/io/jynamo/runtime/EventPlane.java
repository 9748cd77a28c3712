package io.jynamo.runtime;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Publish/subscribe by subject, fire and forget (KV events, load reports). Subjects are dot-separated
 * tokens; a subscription may use NATS wildcards: {@code *} for one token, {@code >} for the rest.
 * Each subscription receives a publisher's events in the order published, on a thread of its own.
 * Implementations: NATS and in-process.
 */
public interface EventPlane extends AutoCloseable {
    void publish(String subject, byte[] payload);

    Subscription subscribe(String subject, Consumer<Event> listener);

    @Override
    void close();

    /** {@code jyn.{ns}.{component}.events.{kind}} (kinds: kv, load). */
    static String subject(String namespace, String component, String kind) {
        EndpointId.check("namespace", namespace);
        EndpointId.check("component", component);
        EndpointId.check("kind", kind);
        return "jyn." + namespace + "." + component + ".events." + kind;
    }

    /** An event as received. */
    record Event(String subject, byte[] payload) {
        public Event {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(payload, "payload");
        }
    }

    /** A subscription; closing it stops delivery. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
