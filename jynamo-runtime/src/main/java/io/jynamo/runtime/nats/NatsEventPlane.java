package io.jynamo.runtime.nats;

import io.jynamo.runtime.NatsConfig;
import io.jynamo.api.ErrorCategory;
import io.jynamo.runtime.EventPlane;
import io.jynamo.runtime.RuntimeFailure;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.Consumer;

/** Events as plain NATS messages; each subscription is a dispatcher (a thread) of its own. */
public final class NatsEventPlane implements EventPlane {
    private static final Logger LOG = LoggerFactory.getLogger(NatsEventPlane.class);

    private final Connection conn;

    public NatsEventPlane(NatsConfig config) {
        this.conn = NatsConnections.open(config, "jynamo-event-plane");
    }

    @Override
    public void publish(String subject, byte[] payload) {
        try {
            conn.publish(subject, payload);
        } catch (IllegalStateException e) {
            throw new RuntimeFailure(ErrorCategory.UNAVAILABLE, "the NATS event plane is closed", e);
        }
    }

    @Override
    public Subscription subscribe(String subject, Consumer<Event> listener) {
        Dispatcher d = conn.createDispatcher(m -> {
            try {
                listener.accept(new Event(m.getSubject(), m.getData() == null ? new byte[0] : m.getData()));
            } catch (RuntimeException e) {
                LOG.warn("an event listener of '{}' failed", subject, e);
            }
        });
        d.subscribe(subject);
        try {
            conn.flush(Duration.ofSeconds(2)); // the server knows the subscription before this returns
        } catch (Exception e) {
            LOG.warn("NATS did not confirm the subscription to {} yet: {}", subject, e.getMessage());
        }
        return () -> {
            try {
                conn.closeDispatcher(d);
            } catch (IllegalStateException ignored) {
                // the connection is closed already
            }
        };
    }

    @Override
    public void close() {
        try {
            conn.flush(Duration.ofSeconds(1));
            conn.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("closing the NATS event plane: {}", e.getMessage());
        }
    }
}
