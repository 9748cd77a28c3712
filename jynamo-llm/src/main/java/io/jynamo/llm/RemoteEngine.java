package io.jynamo.llm;

import io.jynamo.runtime.ResponseStream;
import io.jynamo.runtime.ResponseItem;
import io.jynamo.runtime.RequestPlane;
import io.jynamo.runtime.Instance;
import io.jynamo.runtime.EventPlane;
import io.jynamo.runtime.EndpointId;
import io.jynamo.api.ErrorCategory;
import io.jynamo.api.engine.Engine;
import io.jynamo.api.engine.EngineMetrics;
import io.jynamo.api.engine.RequestStream;
import io.jynamo.api.kv.KvEvent;
import io.jynamo.api.output.EngineOutput;
import io.jynamo.api.request.PreprocessedRequest;
import io.jynamo.llm.codec.KvEventCodec;
import io.jynamo.llm.codec.MetricsCodec;
import io.jynamo.llm.codec.OutputCodec;
import io.jynamo.llm.remote.RemoteRequestStream;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link Engine} served by another process (through {@link EngineEndpoint}): submit sends the
 * request and waits for the worker's accept, so a refused request throws here with the worker's
 * category, as a local engine would. KV events travel on the event plane, when one is given.
 */
public final class RemoteEngine implements Engine {
    private final RequestPlane plane;
    private final Instance instance;
    private final EventPlane events;
    private final Map<String, RequestStream> inFlight = new ConcurrentHashMap<>();
    private final java.util.List<EventPlane.Subscription> subscriptions = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A remote engine whose KV events are not followed. */
    public RemoteEngine(RequestPlane plane, Instance instance) {
        this(plane, instance, null);
    }

    /** A remote engine whose KV events arrive through {@code events} (published by {@link EngineEndpoint#publishKvEvents}). */
    public RemoteEngine(RequestPlane plane, Instance instance, EventPlane events) {
        this.plane = Objects.requireNonNull(plane, "plane");
        this.instance = Objects.requireNonNull(instance, "instance");
        this.events = events;
    }

    public Instance instance() {
        return instance;
    }

    @Override
    public RequestStream submit(PreprocessedRequest request) {
        ResponseStream stream = plane.call(instance, io.jynamo.llm.codec.RequestCodec.encode(request));
        ResponseItem first = takeFirst(stream);
        RemoteRequestStream remote = new RemoteRequestStream(request.requestId(), request.n(), stream,
                () -> inFlight.remove(request.requestId()));
        switch (first) {
            case ResponseItem.Failure f -> throw new LlmException(f.category(), f.message());
            case ResponseItem.End e -> throw new LlmException(ErrorCategory.INTERNAL,
                    "worker " + instance.instanceIdHex() + " answered nothing");
            case ResponseItem.Data d -> {
                EngineOutput output = OutputCodec.decode(d.body());
                if (output != null) {
                    stream.cancel();
                    throw new LlmException(ErrorCategory.INTERNAL, "worker " + instance.instanceIdHex()
                            + " sent output before accepting the request");
                }
            }
        }
        inFlight.put(request.requestId(), remote);
        return remote;
    }

    private ResponseItem takeFirst(ResponseStream stream) {
        try {
            return stream.take();
        } catch (InterruptedException e) {
            stream.cancel();
            Thread.currentThread().interrupt();
            throw new LlmException(ErrorCategory.UNAVAILABLE, "interrupted while submitting to worker "
                    + instance.instanceIdHex());
        }
    }

    @Override
    public void cancel(String requestId) {
        RequestStream s = requestId == null ? null : inFlight.get(requestId);
        if (s != null) {
            s.cancel();
        }
    }

    /** Asks the worker for its engine's metrics (one round trip). */
    @Override
    public EngineMetrics metrics() {
        try (ResponseStream stream = plane.call(instance, MetricsCodec.query())) {
            ResponseItem item = stream.take();
            return switch (item) {
                case ResponseItem.Data d -> MetricsCodec.decode(d.body());
                case ResponseItem.Failure f -> throw new LlmException(f.category(), f.message());
                case ResponseItem.End e -> throw new LlmException(ErrorCategory.INTERNAL, "no metrics from worker");
                case null -> throw new LlmException(ErrorCategory.INTERNAL, "no metrics from worker");
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmException(ErrorCategory.UNAVAILABLE, "interrupted while asking for metrics");
        }
    }

    /**
     * Follows this worker's KV events on the event plane ({@code jyn.{ns}.{component}.events.kv}, the
     * events of other workers filtered out). The listener runs on the subscription's thread. Without an
     * event plane, nothing arrives.
     */
    @Override
    public void subscribeKvEvents(java.util.function.Consumer<KvEvent.Envelope> listener) {
        if (events == null) {
            return;
        }
        EndpointId ep = instance.endpoint();
        subscriptions.add(events.subscribe(EventPlane.subject(ep.namespace(), ep.component(), "kv"), e -> {
            KvEventCodec.WorkerEvent w = KvEventCodec.decode(e.payload());
            if (w.workerId() == instance.instanceId()) {
                listener.accept(w.envelope());
            }
        }));
    }

    /** Cancels the requests still in flight and stops following KV events; the worker keeps running. */
    @Override
    public void close() {
        inFlight.values().forEach(RequestStream::cancel);
        subscriptions.forEach(EventPlane.Subscription::close);
        subscriptions.clear();
    }
}
