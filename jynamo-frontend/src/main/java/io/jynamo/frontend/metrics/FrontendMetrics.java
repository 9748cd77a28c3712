package io.jynamo.frontend.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import io.jynamo.api.engine.EngineMetrics;
import io.jynamo.api.engine.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Prometheus metrics of one frontend, in its own registry (several frontends in one JVM do not mix).
 * Names follow Dynamo's frontend metrics with a {@code jynamo_frontend_} prefix. Labels: {@code model}
 * (only served models' names, so clients cannot grow the label set), {@code endpoint} (chat_completions,
 * completions), {@code request_type} (stream, unary) and {@code status} (the HTTP status code).
 *
 * <p>The {@code jynamo_worker_} gauges are each instance's engine, asked at scrape time and labelled
 * by {@code model} and {@code instance} (its id in hex), as vLLM's {@code num_requests_running} and
 * Dynamo's KV stats are.
 */
public final class FrontendMetrics {
    private static final double[] LATENCY_BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
            0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
    private static final double[] TOKEN_BOUNDS = {1, 4, 16, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384,
            32768, 65536, 131072};

    /** An instance whose engine gauges a scrape shows: its model, its id (hex) and its engine as called from here. */
    public record WorkerEngine(String model, String instanceId, Engine engine) {
    }

    /** How long a scrape waits for the workers' answers. */
    public static final Duration WORKER_TIMEOUT = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(FrontendMetrics.class);

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

    final Gauge workerUp = Gauge.builder().name("jynamo_worker_up")
            .help("1 when the instance answered this scrape's metrics query in time, else 0")
            .labelNames("model", "instance").register(registry);
    final Gauge workerRunning = Gauge.builder().name("jynamo_worker_requests_running")
            .help("Sequences the instance's engine is scheduling").labelNames("model", "instance").register(registry);
    final Gauge workerWaiting = Gauge.builder().name("jynamo_worker_requests_waiting")
            .help("Sequences queued in the instance's engine (new or preempted)").labelNames("model", "instance")
            .register(registry);
    final Gauge workerKvUsed = Gauge.builder().name("jynamo_worker_kv_blocks_used")
            .help("KV blocks referenced by the instance's sequences").labelNames("model", "instance")
            .register(registry);
    final Gauge workerKvTotal = Gauge.builder().name("jynamo_worker_kv_blocks_total")
            .help("KV blocks in the instance's pool").labelNames("model", "instance").register(registry);
    final Gauge workerHitRate = Gauge.builder().name("jynamo_worker_prefix_cache_hit_rate")
            .help("Prompt tokens found in the instance's prefix cache / prompt tokens scheduled (0..1)")
            .labelNames("model", "instance").register(registry);

    /** The text exposition format, without the workers' gauges. */
    public byte[] scrape() {
        return scrape(List.of());
    }

    /**
     * The text exposition format, with the engine gauges of {@code instances}: each is asked for its
     * metrics (one round trip, all at once); one that does not answer within {@link #WORKER_TIMEOUT}
     * shows {@code jynamo_worker_up 0} and no other gauge. Blocks: call it off the event loop.
     */
    public synchronized byte[] scrape(List<WorkerEngine> instances) {
        for (Gauge g : List.of(workerUp, workerRunning, workerWaiting, workerKvUsed, workerKvTotal, workerHitRate)) {
            g.clear();
        }
        List<CompletableFuture<EngineMetrics>> asked = new ArrayList<>();
        for (WorkerEngine i : instances) {
            CompletableFuture<EngineMetrics> f = new CompletableFuture<>();
            Thread.ofVirtual().name("metrics-" + i.instanceId()).start(() -> {
                try {
                    f.complete(i.engine().metrics());
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
            asked.add(f);
        }
        long deadline = System.nanoTime() + WORKER_TIMEOUT.toNanos();
        for (int k = 0; k < instances.size(); k++) {
            WorkerEngine i = instances.get(k);
            String[] labels = {i.model(), i.instanceId()};
            EngineMetrics m = null;
            try {
                m = asked.get(k).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.debug("no metrics from instance {}: {}", i.instanceId(), e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            workerUp.labelValues(labels).set(m == null ? 0 : 1);
            if (m != null) {
                workerRunning.labelValues(labels).set(m.running());
                workerWaiting.labelValues(labels).set(m.waiting());
                workerKvUsed.labelValues(labels).set(m.kvBlocksUsed());
                workerKvTotal.labelValues(labels).set(m.kvBlocksTotal());
                workerHitRate.labelValues(labels).set(m.prefixHitRate());
            }
        }
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
