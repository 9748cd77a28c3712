package io.jynamo.frontend.discovery;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.JynamoException;
import io.jynamo.api.engine.Engine;
import io.jynamo.api.engine.EngineMetrics;
import io.jynamo.api.engine.RequestStream;
import io.jynamo.api.kv.KvEvent;
import io.jynamo.api.request.PreprocessedRequest;
import io.jynamo.frontend.FrontendException;
import io.jynamo.router.InstancePicker;
import io.jynamo.runtime.RemoteEngine;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The engine of one model served by several instances: each submit goes to the instance the picker
 * chooses among the live ones. An instance that refuses with UNAVAILABLE before accepting (it died and
 * has not left discovery yet) is skipped and the next one tried, so a dead worker costs no request that
 * has not started; a request it already accepted ends with the plane's UNAVAILABLE failure. With no
 * live instance, submit throws UNAVAILABLE (HTTP 503).
 */
public final class RoutingEngine implements Engine {
    private final String model;
    private final InstancePicker picker;
    private volatile List<RemoteEngine> live = List.of();

    public RoutingEngine(String model, InstancePicker picker) {
        this.model = Objects.requireNonNull(model, "model");
        this.picker = Objects.requireNonNull(picker, "picker");
    }

    /** Replaces the instances requests may go to; requests in flight on the others continue. */
    public void setInstances(List<RemoteEngine> instances) {
        live = List.copyOf(instances);
    }

    public List<RemoteEngine> instances() {
        return live;
    }

    @Override
    public RequestStream submit(PreprocessedRequest request) {
        List<RemoteEngine> candidates = new ArrayList<>(live);
        JynamoException last = null;
        while (!candidates.isEmpty()) {
            RemoteEngine target = picker.pick(candidates);
            try {
                return target.submit(request);
            } catch (JynamoException e) {
                if (e.category() != ErrorCategory.UNAVAILABLE) {
                    throw e;
                }
                last = e;
                candidates.remove(target);
            }
        }
        if (last != null) {
            throw last;
        }
        throw new FrontendException(ErrorCategory.UNAVAILABLE, "no live instance serves the model '" + model
                + "' right now; retry later");
    }

    @Override
    public void cancel(String requestId) {
        live.forEach(e -> e.cancel(requestId));
    }

    /** Not asked over the network per scrape: zeros (each worker reports its own metrics). */
    @Override
    public EngineMetrics metrics() {
        return new EngineMetrics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public void subscribeKvEvents(Consumer<KvEvent.Envelope> listener) {
        // KV-aware routing subscribes per instance; round-robin and random need no events.
    }

    @Override
    public void close() {
        live = List.of();
    }
}
