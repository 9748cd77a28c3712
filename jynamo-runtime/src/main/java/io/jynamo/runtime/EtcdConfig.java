package io.jynamo.runtime;

import java.time.Duration;
import java.util.List;

/**
 * How to reach etcd.
 *
 * @param endpoints       client URLs or host:port pairs ({@code ETCD_ENDPOINTS}, comma separated)
 * @param operationTimeout longest a single call may take before it fails with UNAVAILABLE
 * @param connectAttempts  how many times connecting is tried (one operation timeout each) before giving up
 */
public record EtcdConfig(List<String> endpoints, Duration operationTimeout, int connectAttempts) {
    public EtcdConfig {
        if (endpoints == null || endpoints.isEmpty()) {
            throw RuntimeFailure.badRequest("etcd needs at least one endpoint");
        }
        endpoints = endpoints.stream().map(e -> e.contains("://") ? e : "http://" + e).toList();
        if (operationTimeout == null || operationTimeout.isNegative() || operationTimeout.isZero()) {
            throw RuntimeFailure.badRequest("the etcd operation timeout must be positive");
        }
        if (connectAttempts < 1) {
            throw RuntimeFailure.badRequest("etcd connect attempts must be at least 1, got " + connectAttempts);
        }
    }

    /** Endpoints as {@code ETCD_ENDPOINTS} writes them, with a 2 s timeout and 3 attempts. */
    public static EtcdConfig of(String commaSeparated) {
        return new EtcdConfig(List.of(commaSeparated.split(",")), Duration.ofSeconds(2), 3);
    }
}
