package io.jynamo.router;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.JynamoException;
import io.jynamo.api.engine.Engine;
import io.jynamo.api.engine.EngineMetrics;
import io.jynamo.api.engine.RequestStream;
import io.jynamo.api.kv.KvEvent;
import io.jynamo.api.request.PreprocessedRequest;

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
 *
 * <p>The router only decides: whoever watches discovery keeps the instance list up to date through
 * {@link #setInstances}, one {@link Candidate} object per live instance.
 */
public final class RoutingEngine implements Engine {
    private final String model;
    private final int kvBlockSize;
    private final InstancePicker picker;
    private volatile List<Candidate> live = List.of();

    /** @param kvBlockSize the model's KV block size, for the block hashes pickers may read */
    public RoutingEngine(String model, int kvBlockSize, InstancePicker picker) {
        this.model = Objects.requireNonNull(model, "model");
        this.kvBlockSize = kvBlockSize;
        this.picker = Objects.requireNonNull(picker, "picker");
    }

    /** Replaces the instances requests may go to; requests in flight on the others continue. */
    public void setInstances(List<Candidate> instances) {
        live = List.copyOf(instances);
    }

    public List<Candidate> instances() {
        return live;
    }

    @Override
    public RequestStream submit(PreprocessedRequest request) {
        List<Candidate> candidates = new ArrayList<>(live);
        RoutingRequest routed = new RoutingRequest(request, kvBlockSize);
        JynamoException last = null;
        while (!candidates.isEmpty()) {
            Candidate target = picker.pick(routed, candidates);
            target.started();
            try {
                return new TrackedStream(target.engine().submit(request), target);
            } catch (JynamoException e) {
                target.ended();
                if (e.category() != ErrorCategory.UNAVAILABLE) {
                    throw e;
                }
                last = e;
                candidates.remove(target);
            } catch (RuntimeException e) {
                target.ended();
                throw e;
            }
        }
        if (last != null) {
            throw last;
        }
        throw new RouterException(ErrorCategory.UNAVAILABLE, "no live instance serves the model '" + model
                + "' right now; retry later");
    }

    @Override
    public void cancel(String requestId) {
        live.forEach(c -> c.engine().cancel(requestId));
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
