package io.jynamo.frontend.http;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.request.PreprocessedRequest;
import io.jynamo.frontend.FrontendConfig;
import io.jynamo.frontend.FrontendException;
import io.jynamo.frontend.ModelRegistry;
import io.jynamo.frontend.ServedModel;
import io.jynamo.frontend.metrics.FrontendMetrics;
import io.jynamo.frontend.metrics.RequestProbe;
import io.jynamo.frontend.openai.GenerationRequest;
import io.jynamo.frontend.openai.Preprocessor;
import io.jynamo.frontend.openai.RequestParser;
import io.jynamo.frontend.openai.ResponseJson;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Routes requests on the event loop. Generation bodies are read with a size limit, then handed to
 * a virtual thread that parses, preprocesses, submits and streams; the event loop never blocks.
 */
public final class RequestRouter implements Handler<HttpServerRequest> {
    private static final int MAX_REQUEST_ID_LENGTH = 256;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RequestRouter.class);

    private final FrontendConfig config;
    private final ModelRegistry registry;
    private final FrontendMetrics metrics;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong sequence = new AtomicLong();
    private final String instance = UUID.randomUUID().toString().substring(0, 8);
    private final long created = System.currentTimeMillis() / 1000;

    public RequestRouter(FrontendConfig config, ModelRegistry registry, FrontendMetrics metrics) {
        this.config = config;
        this.registry = registry;
        this.metrics = metrics;
    }

    @Override
    public void handle(HttpServerRequest request) {
        long start = System.nanoTime();
        Exchange ex = new Exchange(request, requestId(request), start);
        String path = request.path();
        HttpMethod method = request.method();
        switch (path) {
            case "/v1/chat/completions" -> post(request, ex, method, true);
            case "/v1/completions" -> post(request, ex, method, false);
            case "/v1/models" -> get(ex, method, () -> ex.json(200, ResponseJson.models(
                    registry.list().stream().map(ServedModel::name).toList(), created)));
            case "/health" -> get(ex, method, () -> health(ex));
            case "/live" -> get(ex, method, () -> ex.json(200, "{\"status\":\"live\"}".getBytes(StandardCharsets.UTF_8)));
            // off the event loop: the scrape asks every worker for its engine's gauges
            case "/metrics" -> get(ex, method, () -> Thread.ofVirtual().start(() ->
                    ex.text(200, metrics.contentType(), metrics.scrape(registry.instances().stream()
                            .map(i -> new FrontendMetrics.WorkerEngine(i.model(), i.instanceId(), i.engine())).toList()))));
            default -> ex.fail(new HttpError(404, "not_found_error", "no route for " + abbreviate(path), null, null));
        }
    }

    private void get(Exchange ex, HttpMethod method, Runnable answer) {
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            ex.fail(new HttpError(405, "invalid_request_error", "use GET", null, null));
            return;
        }
        answer.run();
    }

    private void health(Exchange ex) {
        List<String> names = registry.list().stream().map(ServedModel::name).toList();
        String discoveryProblem = registry.discoveryProblem().orElse(null);
        byte[] body = ResponseJson.write(g -> {
            g.writeStartObject();
            g.writeStringField("status", names.isEmpty() ? "not ready" : discoveryProblem != null ? "degraded" : "healthy");
            g.writeObjectFieldStart("discovery");
            g.writeStringField("status", discoveryProblem == null ? "ok" : "unreachable");
            if (discoveryProblem != null) {
                g.writeStringField("error", discoveryProblem);
            }
            g.writeEndObject();
            g.writeArrayFieldStart("models");
            for (String n : names) {
                g.writeString(n);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("instances");
            for (var i : registry.instances()) {
                g.writeStartObject();
                g.writeStringField("model", i.model());
                g.writeStringField("endpoint", i.endpoint());
                g.writeStringField("instance_id", i.instanceId());
                g.writeStringField("transport", i.transport());
                g.writeStringField("address", i.address());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
        ex.json(names.isEmpty() ? 503 : 200, body);
    }

    private void post(HttpServerRequest request, Exchange ex, HttpMethod method, boolean chat) {
        String endpoint = chat ? "chat_completions" : "completions";
        if (method != HttpMethod.POST) {
            ex.fail(new HttpError(405, "invalid_request_error", "use POST", null, null));
            return;
        }
        long limit = config.maxBodyBytes();
        Buffer body = Buffer.buffer();
        long[] received = {0};
        // a client that breaks off its upload: the response's close handler ends the exchange
        request.exceptionHandler(e -> LOG.debug("request body broken off: {}", e.toString()));
        request.handler(chunk -> {
            received[0] += chunk.length();
            if (received[0] <= limit) {
                body.appendBuffer(chunk);
            } else if (received[0] > 4 * limit) {
                request.connection().close();  // not worth reading on just to say 413
            }
        });
        request.endHandler(v -> {
            if (received[0] > limit) {
                metrics.rejected(endpoint, false, 413);
                if (request.version() != io.vertx.core.http.HttpVersion.HTTP_2) {
                    request.response().putHeader("connection", "close");
                }
                ex.fail(HttpError.tooLarge(limit));
                return;
            }
            Thread.ofVirtual().start(() -> serve(ex, body.getBytes(), chat, endpoint));
        });
    }

    private void serve(Exchange ex, byte[] body, boolean chat, String endpoint) {
        boolean stream = false;
        ServedModel model;
        GenerationRequest req;
        List<PreprocessedRequest> prepared;
        try {
            var json = RequestParser.parseJson(body);
            stream = json.path("stream").asBoolean(false);
            req = chat ? RequestParser.chat(json) : RequestParser.completion(json);
            String name = req.model();
            model = registry.find(name).orElseThrow(() -> registry.lostRecently(name)
                    ? new FrontendException(ErrorCategory.UNAVAILABLE, "the model '" + abbreviate(name)
                            + "' has no live instance right now (its workers left); retry shortly", "model", null)
                    : new FrontendException(ErrorCategory.NOT_FOUND,
                            "the model '" + abbreviate(name) + "' does not exist", "model", null));
            prepared = Preprocessor.prepare(req, model.card(), ex.requestId + "#" + instance + "-"
                    + sequence.incrementAndGet());
        } catch (RuntimeException | StackOverflowError e) {
            HttpError error = e instanceof StackOverflowError
                    ? new HttpError(400, "invalid_request_error", "the body is nested too deeply", null, null)
                    : HttpError.of(e);
            metrics.rejected(endpoint, stream, error.status());
            ex.fail(error);
            return;
        }
        RequestProbe probe = metrics.start(model.name(), endpoint, req.stream(), ex.startNanos);
        int status = 500;
        if (inFlight.incrementAndGet() > config.maxInFlightRequests()) {
            inFlight.decrementAndGet();
            HttpError busy = new HttpError(503, "service_unavailable", "too many requests in flight ("
                    + config.maxInFlightRequests() + "); retry later", null, null);
            ex.fail(busy);
            probe.end(503, 0);
            return;
        }
        Generation generation = new Generation(ex, req, model, prepared, probe);
        try {
            status = generation.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            HttpError error = HttpError.of(e);
            status = error.status();
            ex.fail(error);
        } finally {
            inFlight.decrementAndGet();
            probe.end(status, generation.promptTokens());
        }
    }

    /** The client's x-request-id when it is sensible, else a new one. */
    private String requestId(HttpServerRequest request) {
        String given = request.getHeader("x-request-id");
        if (given != null && !given.isEmpty() && given.length() <= MAX_REQUEST_ID_LENGTH
                && given.chars().allMatch(c -> c > 32 && c < 127)) {
            return given;
        }
        return UUID.randomUUID().toString();
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
