package io.jynamo.frontend;

import io.jynamo.api.ErrorCategory;
import io.jynamo.frontend.http.ApiKeyGuard;
import io.jynamo.frontend.http.RequestRouter;
import io.jynamo.frontend.metrics.FrontendMetrics;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The OpenAI-compatible HTTP server: {@code POST /v1/chat/completions}, {@code POST /v1/completions},
 * {@code GET /v1/models}, {@code /health}, {@code /live}, {@code /metrics}. It asks its
 * {@link ModelRegistry} for the model of every request, so models may come and go while it runs.
 * Owns its Vert.x instance.
 */
public final class HttpFrontend implements AutoCloseable {
    private final FrontendConfig config;
    private final ModelRegistry registry;
    private final String apiKey;
    private final FrontendMetrics metrics = new FrontendMetrics();
    private Vertx vertx;
    private HttpServer server;

    public HttpFrontend(FrontendConfig config, ModelRegistry registry) {
        this(config, registry, null);
    }

    /**
     * @param apiKey the key every request but /health, /live and /metrics must carry as
     *               {@code Authorization: Bearer KEY} ({@code --api-key}); null = no key asked
     */
    public HttpFrontend(FrontendConfig config, ModelRegistry registry, String apiKey) {
        this.config = Objects.requireNonNull(config, "config");
        this.registry = Objects.requireNonNull(registry, "registry");
        if (apiKey != null && apiKey.isBlank()) {
            throw new FrontendException(ErrorCategory.BAD_REQUEST, "the API key is empty");
        }
        this.apiKey = apiKey;
    }

    /** Binds and starts serving; returns the bound port (the ephemeral one when the config says 0). */
    public synchronized int start() {
        if (server != null) {
            return server.actualPort();
        }
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(config.eventLoops()));
        HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port())
                .setTcpNoDelay(true).setHandle100ContinueAutomatically(true).setCompressionSupported(false)
                .setMaxInitialLineLength(16 * 1024);
        try {
            Handler<HttpServerRequest> router = new RequestRouter(config, registry, metrics);
            server = vertx.createHttpServer(options)
                    .requestHandler(apiKey == null ? router : new ApiKeyGuard(apiKey, router))
                    .listen().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            vertx = null;
            throw new FrontendException(ErrorCategory.UNAVAILABLE, "cannot listen on " + config.host() + ":"
                    + config.port() + ": " + e.getMessage(), null, e);
        }
        return server.actualPort();
    }

    /** The bound port, or -1 before start. */
    public synchronized int port() {
        return server == null ? -1 : server.actualPort();
    }

    /** Stops listening and closes open connections (streams in flight see their client go away). */
    @Override
    public synchronized void close() {
        if (vertx != null) {
            try {
                vertx.close().await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // closing anyway: nothing more to do
            }
            vertx = null;
            server = null;
        }
    }
}
