package io.jynamo.runtime.nats;

import io.jynamo.api.ErrorCategory;
import io.jynamo.runtime.Instance;
import io.jynamo.runtime.RequestHandler;
import io.jynamo.runtime.ServedEndpoint;
import io.jynamo.runtime.plane.Handlers;
import io.jynamo.runtime.plane.ServerSink;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One served instance on NATS: its request and cancel subscriptions and its open streams, by inbox. */
final class NatsServerSide implements ServedEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(NatsServerSide.class);

    private final Connection conn;
    private final Instance instance;
    private final RequestHandler handler;
    private final Dispatcher dispatcher;
    private final Map<String, NatsSink> open = new ConcurrentHashMap<>();
    private volatile boolean closed;

    NatsServerSide(Connection conn, Instance instance, RequestHandler handler) {
        this.conn = conn;
        this.instance = instance;
        this.handler = handler;
        this.dispatcher = conn.createDispatcher();
        dispatcher.subscribe(instance.subject(), this::onRequest);
        dispatcher.subscribe(Wire.cancelSubject(instance.subject()), this::onCancel);
        dispatcher.subscribe(Wire.aliveSubject(instance.subject()), this::onAlive);
        try {
            conn.flush(Duration.ofSeconds(2));
        } catch (Exception e) {
            LOG.warn("NATS did not confirm the subscription of {} yet: {}", instance.subject(), e.getMessage());
        }
    }

    private void onRequest(Message m) {
        String inbox = m.getReplyTo();
        if (inbox == null || closed) {
            return;
        }
        NatsSink sink = new NatsSink(inbox);
        if (open.putIfAbsent(inbox, sink) != null) {
            return;
        }
        Handlers.start(handler, m.getData(), sink);
    }

    private void onCancel(Message m) {
        NatsSink sink = open.get(new String(m.getData(), StandardCharsets.UTF_8));
        if (sink != null) {
            sink.cancel();
        }
    }

    private void onAlive(Message m) {
        long now = System.nanoTime();
        for (String inbox : new String(m.getData(), StandardCharsets.UTF_8).split("\n")) {
            NatsSink sink = open.get(inbox);
            if (sink != null) {
                sink.lastHeardNanos = now;
            }
        }
    }

    /**
     * Tells the clients of open streams that this server is alive, and cancels the streams whose client
     * has not said it still wants them for {@code silenceNanos} (it died without a word).
     */
    void heartbeat(long silenceNanos) {
        long now = System.nanoTime();
        for (NatsSink s : open.values()) {
            if (now - s.lastHeardNanos > silenceNanos) {
                LOG.debug("the client of {} went silent; cancelling its stream", s.inbox);
                open.remove(s.inbox, s);
                s.abandon();
            } else {
                s.heartbeat();
            }
        }
    }

    @Override
    public Instance instance() {
        return instance;
    }

    /** Stops serving: the open streams end with UNAVAILABLE, their handlers are cancelled. */
    @Override
    public void close() {
        closed = true;
        try {
            dispatcher.unsubscribe(instance.subject());
            dispatcher.unsubscribe(Wire.cancelSubject(instance.subject()));
            dispatcher.unsubscribe(Wire.aliveSubject(instance.subject()));
            conn.closeDispatcher(dispatcher);
        } catch (IllegalStateException e) {
            // the connection is already closed
        }
        for (NatsSink s : open.values()) {
            s.error(ErrorCategory.UNAVAILABLE, "instance " + instance.instanceIdHex() + " of " + instance.endpoint()
                    + " stopped serving");
            s.abandon();
        }
        open.clear();
        try {
            conn.flush(Duration.ofSeconds(1));
        } catch (Exception e) {
            LOG.debug("could not flush the last items of {}: {}", instance.subject(), e.getMessage());
        }
    }

    private final class NatsSink extends ServerSink {
        private final String inbox;
        private long seq;
        volatile long lastHeardNanos = System.nanoTime();

        NatsSink(String inbox) {
            this.inbox = inbox;
        }

        private void publish(String type, Headers extra, byte[] body) {
            Headers h = extra == null ? new Headers() : extra;
            h.put(Wire.TYPE, type);
            if (!Wire.HEARTBEAT.equals(type)) {
                h.put(Wire.SEQ, Long.toString(seq++));
            }
            try {
                conn.publish(NatsMessage.builder().subject(inbox).headers(h).data(body).build());
            } catch (IllegalStateException e) {
                abandon(); // the connection is closed for good
            }
        }

        synchronized void heartbeat() {
            if (!ended()) {
                publish(Wire.HEARTBEAT, null, null);
            }
        }

        @Override
        protected synchronized void writeData(byte[] item) {
            publish(Wire.DATA, null, item);
        }

        @Override
        protected synchronized void writeEnd() {
            publish(Wire.END, null, null);
        }

        @Override
        protected synchronized void writeError(ErrorCategory category, String message) {
            Headers h = new Headers();
            h.put(Wire.CATEGORY, category.wireName());
            publish(Wire.ERROR, h, message.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        protected void released() {
            open.remove(inbox, this);
        }
    }
}
