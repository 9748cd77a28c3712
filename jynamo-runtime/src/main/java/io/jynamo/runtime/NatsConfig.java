package io.jynamo.runtime;


import java.time.Duration;

/**
 * How to reach NATS.
 *
 * @param url               {@code nats://host:port} ({@code NATS_SERVER})
 * @param connectTimeout    how long the first connection may take before failing with UNAVAILABLE
 * @param reconnectWait     pause between reconnection attempts (it reconnects forever)
 * @param heartbeatInterval how often a server tells clients of open streams that it is alive
 */
public record NatsConfig(String url, Duration connectTimeout, Duration reconnectWait, Duration heartbeatInterval) {
    public NatsConfig {
        if (url == null || url.isBlank()) {
            throw RuntimeFailure.badRequest("NATS needs a server URL");
        }
        url = url.contains("://") ? url : "nats://" + url;
        for (Duration d : new Duration[]{connectTimeout, reconnectWait, heartbeatInterval}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw RuntimeFailure.badRequest("NATS timeouts must be positive");
            }
        }
    }

    public static NatsConfig of(String url) {
        return new NatsConfig(url, Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofSeconds(2));
    }
}
