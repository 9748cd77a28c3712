package io.jynamo.frontend.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Prometheus metrics of one frontend, in its own registry (several frontends in one JVM do not mix).
 * Names follow Dynamo's frontend metrics with a {@code jynamo_frontend_} prefix. Labels: {@code model}
 * (only served models' names, so clients cannot grow the label set), {@code endpoint} (chat_completions,
 * completions), {@code request_type} (stream, unary) and {@code status} (the HTTP status code).
 */
public final class FrontendMetrics {
    private static final double[] LATENCY_BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
            0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
    private static final double[] TOKEN_BOUNDS = {1, 4, 16, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384,
            32768, 65536, 131072};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    final Counter requests = Counter.builder().name("jynamo_frontend_requests")
            .help("HTTP requests answered, by status code").labelNames("model", "endpoint", "request_type", "status")
            .register(registry);
    final Gauge inflight = Gauge.builder().name("jynamo_frontend_inflight_requests")
            .help("Generation requests being served").labelNames("model").register(registry);
    final Histogram ttft = Histogram.builder().name("jynamo_frontend_time_to_first_token_seconds")
            .help("Time from request arrival to the first generated token").labelNames("model")
            .classicOnly().classicUpperBounds(LATENCY_BOUNDS).register(registry);
    final Histogram itl = Histogram.builder().name("jynamo_frontend_inter_token_latency_seconds")
            .help("Time between generated tokens: one observation per batch read, the batch's gap divided by its tokens")
            .labelNames("model").classicOnly().classicUpperBounds(LATENCY_BOUNDS).register(registry);
    final Histogram duration = Histogram.builder().name("jynamo_frontend_request_duration_seconds")
            .help("Time from request arrival to its last byte").labelNames("model")
            .classicOnly().classicUpperBounds(LATENCY_BOUNDS).register(registry);
    final Histogram inputTokens = Histogram.builder().name("jynamo_frontend_input_sequence_tokens")
            .help("Prompt tokens per request").labelNames("model")
            .classicOnly().classicUpperBounds(TOKEN_BOUNDS).register(registry);
    final Histogram outputTokens = Histogram.builder().name("jynamo_frontend_output_sequence_tokens")
            .help("Generated tokens per request").labelNames("model")
            .classicOnly().classicUpperBounds(TOKEN_BOUNDS).register(registry);

    /** Counts a request that ended before it reached a model (bad body, unknown model, …). */
    public void rejected(String endpoint, boolean stream, int status) {
        requests.labelValues("", endpoint, stream ? "stream" : "unary", Integer.toString(status)).inc();
    }

    /** A generation request for a served model starts; the returned probe follows it to its end. */
    public RequestProbe start(String model, String endpoint, boolean stream, long startNanos) {
        return new RequestProbe(this, model, endpoint, stream, startNanos);
    }

    /** The text exposition format. */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public String contentType() {
        return writer.getContentType();
    }
}
