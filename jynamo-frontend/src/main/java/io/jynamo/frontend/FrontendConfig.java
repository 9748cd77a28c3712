package io.jynamo.frontend;

import io.jynamo.api.ErrorCategory;

import java.util.Objects;

/**
 * How the HTTP frontend listens and what it accepts.
 *
 * @param host                 address to bind ("0.0.0.0" for all)
 * @param port                 TCP port; 0 = an ephemeral port ({@link HttpFrontend#start()} returns it)
 * @param maxBodyBytes         largest request body; larger ones are answered 413
 * @param maxInFlightRequests  generation requests served at once; more are answered 503
 * @param eventLoops           Vert.x event loop threads
 */
public record FrontendConfig(String host, int port, long maxBodyBytes, int maxInFlightRequests, int eventLoops) {
    public static final long DEFAULT_MAX_BODY_BYTES = 32L * 1024 * 1024;
    public static final int DEFAULT_MAX_IN_FLIGHT = 8192;

    public FrontendConfig {
        Objects.requireNonNull(host, "host");
        check(!host.isBlank(), "host must not be blank");
        check(port >= 0 && port <= 65535, "port must be in 0..65535, got " + port);
        check(maxBodyBytes >= 1024, "max body size must be at least 1024 bytes, got " + maxBodyBytes);
        check(maxInFlightRequests >= 1, "max in-flight requests must be at least 1, got " + maxInFlightRequests);
        check(eventLoops >= 1, "event loops must be at least 1, got " + eventLoops);
    }

    /** Defaults: all interfaces, port 8000, 32 MiB bodies, 8192 requests in flight, one event loop per core. */
    public static FrontendConfig defaults() {
        return new FrontendConfig("0.0.0.0", 8000, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_IN_FLIGHT,
                Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    public FrontendConfig withHost(String host) {
        return new FrontendConfig(host, port, maxBodyBytes, maxInFlightRequests, eventLoops);
    }

    public FrontendConfig withPort(int port) {
        return new FrontendConfig(host, port, maxBodyBytes, maxInFlightRequests, eventLoops);
    }

    public FrontendConfig withMaxBodyBytes(long maxBodyBytes) {
        return new FrontendConfig(host, port, maxBodyBytes, maxInFlightRequests, eventLoops);
    }

    public FrontendConfig withMaxInFlightRequests(int max) {
        return new FrontendConfig(host, port, maxBodyBytes, max, eventLoops);
    }

    public FrontendConfig withEventLoops(int eventLoops) {
        return new FrontendConfig(host, port, maxBodyBytes, maxInFlightRequests, eventLoops);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new FrontendException(ErrorCategory.BAD_REQUEST, message);
        }
    }
}
