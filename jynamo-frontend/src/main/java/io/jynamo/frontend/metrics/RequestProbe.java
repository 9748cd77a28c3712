package io.jynamo.frontend.metrics;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;

/**
 * Measures one generation request: call {@link #tokens} as tokens arrive (any reader thread) and
 * {@link #end} once.
 */
public final class RequestProbe {
    private final FrontendMetrics metrics;
    private final String model;
    private final String endpoint;
    private final String type;
    private final long startNanos;
    private final GaugeDataPoint inflight;
    private final DistributionDataPoint itl;
    private long lastTokenNanos;
    private long outputTokens;
    private boolean ended;

    RequestProbe(FrontendMetrics metrics, String model, String endpoint, boolean stream, long startNanos) {
        this.metrics = metrics;
        this.model = model;
        this.endpoint = endpoint;
        this.type = stream ? "stream" : "unary";
        this.startNanos = startNanos;
        this.inflight = metrics.inflight.labelValues(model);
        this.itl = metrics.itl.labelValues(model);
        inflight.inc();
    }

    /** {@code count} tokens arrived now. */
    public synchronized void tokens(int count) {
        if (count <= 0) {
            return;
        }
        long now = System.nanoTime();
        if (lastTokenNanos == 0) {
            metrics.ttft.labelValues(model).observe((now - startNanos) / 1e9);
        } else {
            itl.observe((now - lastTokenNanos) / 1e9 / count);
        }
        lastTokenNanos = now;
        outputTokens += count;
    }

    /** The request ended with this HTTP status, after {@code promptTokens} in. */
    public synchronized void end(int status, long promptTokens) {
        if (ended) {
            return;
        }
        ended = true;
        inflight.dec();
        metrics.requests.labelValues(model, endpoint, type, Integer.toString(status)).inc();
        metrics.duration.labelValues(model).observe((System.nanoTime() - startNanos) / 1e9);
        if (promptTokens > 0) {
            metrics.inputTokens.labelValues(model).observe(promptTokens);
        }
        metrics.outputTokens.labelValues(model).observe(outputTokens);
    }
}
