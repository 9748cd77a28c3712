package io.jynamo.runtime;


import java.time.Duration;

/**
 * The TCP request plane's settings.
 *
 * @param bindHost       where the server listens
 * @param port           the server's port; 0 = any free port
 * @param advertisedHost the host others connect to (registered in discovery)
 * @param connectTimeout how long a client waits for a connection to an instance
 */
public record TcpConfig(String bindHost, int port, String advertisedHost, Duration connectTimeout) {
    public TcpConfig {
        if (bindHost == null || bindHost.isBlank() || advertisedHost == null || advertisedHost.isBlank()) {
            throw RuntimeFailure.badRequest("the tcp plane needs a bind host and an advertised host");
        }
        if (port < 0 || port > 65535) {
            throw RuntimeFailure.badRequest("the tcp port must be 0..65535, got " + port);
        }
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw RuntimeFailure.badRequest("the tcp connect timeout must be positive");
        }
    }

    /** Loopback, any free port, 2 s to connect. */
    public static TcpConfig loopback() {
        return new TcpConfig("127.0.0.1", 0, "127.0.0.1", Duration.ofSeconds(2));
    }
}
