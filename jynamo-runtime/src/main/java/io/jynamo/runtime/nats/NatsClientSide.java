package io.jynamo.runtime.nats;

import io.jynamo.api.ErrorCategory;
import io.jynamo.runtime.Instance;
import io.jynamo.runtime.ResponseItem;
import io.jynamo.runtime.ResponseStream;
import io.jynamo.runtime.plane.ClientStream;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.impl.NatsMessage;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The calls of one plane: one wildcard subscription on the plane's inbox prefix, streams by inbox. */
final class NatsClientSide implements AutoCloseable {
    private final Connection conn;
    private final String inboxPrefix;
    private final Dispatcher dispatcher;
    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong();

    NatsClientSide(Connection conn) {
        this.conn = conn;
        this.inboxPrefix = conn.createInbox();
        this.dispatcher = conn.createDispatcher(this::onMessage);
        dispatcher.subscribe(inboxPrefix + ".*");
    }

    private final class Call {
        final ClientStream stream;
        final String label;
        final String subject;
        long expectedSeq;
        volatile long lastHeardNanos = System.nanoTime();

        Call(ClientStream stream, String label, String subject) {
            this.stream = stream;
            this.label = label;
            this.subject = subject;
        }
    }

    ResponseStream call(Instance instance, byte[] request) {
        String inbox = inboxPrefix + "." + next.getAndIncrement();
        String subject = instance.subject();
        ClientStream stream = new ClientStream(() -> publishQuietly(Wire.cancelSubject(subject),
                inbox.getBytes(StandardCharsets.UTF_8)));
        Call call = new Call(stream, "instance " + instance.instanceIdHex() + " of " + instance.endpoint(), subject);
        calls.put(inbox, call);
        try {
            conn.publish(NatsMessage.builder().subject(subject).replyTo(inbox).data(request).build());
        } catch (IllegalStateException e) {
            end(inbox, new ResponseItem.Failure(ErrorCategory.UNAVAILABLE, "NATS connection closed: " + e.getMessage()));
        }
        return stream;
    }

    private void publishQuietly(String subject, byte[] body) {
        try {
            conn.publish(subject, body);
        } catch (IllegalStateException e) {
            // closed: the stream ends through the failure path
        }
    }

    private void onMessage(Message m) {
        Call call = calls.get(m.getSubject());
        if (call == null) {
            return;
        }
        call.lastHeardNanos = System.nanoTime();
        if (m.isStatusMessage()) {
            int code = m.getStatus().getCode();
            end(m.getSubject(), new ResponseItem.Failure(ErrorCategory.UNAVAILABLE,
                    (code == 503 ? "no responders: nothing serves " : "NATS status " + code + " from ") + call.label));
            return;
        }
        String type = m.hasHeaders() ? m.getHeaders().getFirst(Wire.TYPE) : null;
        if (type == null || Wire.HEARTBEAT.equals(type)) {
            return;
        }
        long seq = Long.parseLong(m.getHeaders().getFirst(Wire.SEQ));
        if (seq != call.expectedSeq) {
            end(m.getSubject(), new ResponseItem.Failure(ErrorCategory.UNAVAILABLE, "lost response items from "
                    + call.label + " (expected item " + call.expectedSeq + ", got " + seq + ")"));
            return;
        }
        call.expectedSeq++;
        switch (type) {
            case Wire.DATA -> call.stream.deliver(new ResponseItem.Data(m.getData()));
            case Wire.END -> end(m.getSubject(), new ResponseItem.End());
            case Wire.ERROR -> end(m.getSubject(), new ResponseItem.Failure(
                    ErrorCategory.fromWire(m.getHeaders().getFirst(Wire.CATEGORY)),
                    new String(m.getData(), StandardCharsets.UTF_8)));
            default -> { /* a newer peer's item type: skip it */ }
        }
    }

    private void end(String inbox, ResponseItem terminal) {
        Call call = calls.remove(inbox);
        if (call != null) {
            call.stream.deliver(terminal);
        }
    }

    /** Tells each instance which of its streams this client still reads (one message per instance). */
    void sendKeepAlives() {
        Map<String, StringBuilder> byInstance = new java.util.HashMap<>();
        calls.forEach((inbox, call) -> {
            StringBuilder sb = byInstance.computeIfAbsent(call.subject, k -> new StringBuilder());
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(inbox);
        });
        byInstance.forEach((subject, inboxes) -> publishQuietly(Wire.aliveSubject(subject),
                inboxes.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** Ends the streams whose server has been silent for longer than {@code silenceNanos}. */
    void expireSilent(long silenceNanos) {
        long now = System.nanoTime();
        calls.forEach((inbox, call) -> {
            if (now - call.lastHeardNanos > silenceNanos) {
                end(inbox, new ResponseItem.Failure(ErrorCategory.UNAVAILABLE, "no word from " + call.label + " for "
                        + silenceNanos / 1_000_000 + " ms; it is presumed dead"));
            }
        });
    }

    /** Cancels the open calls on their servers, then ends them here with UNAVAILABLE. */
    @Override
    public void close() {
        calls.values().forEach(c -> c.stream.cancel());
        for (String inbox : calls.keySet()) {
            end(inbox, new ResponseItem.Failure(ErrorCategory.UNAVAILABLE, "the NATS request plane was closed"));
        }
    }
}
