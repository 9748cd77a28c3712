package io.jynamo.runtime;

import java.util.Objects;

/**
 * One running copy of an endpoint, as registered in discovery. The id is unique among the
 * endpoint's instances (normally the lease id of the process that serves it) and printed as hex.
 */
public record Instance(EndpointId endpoint, long instanceId, Transport transport) {
    public Instance {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(transport, "transport");
    }

    public String instanceIdHex() {
        return Long.toHexString(instanceId);
    }

    /** {@code v1/instances/{ns}/{component}/{endpoint}/{instance_id_hex}}. */
    public String discoveryKey() {
        return endpoint.instancesPrefix() + instanceIdHex();
    }

    public String subject() {
        return endpoint.subject(instanceId);
    }

    /** Parses an instance id printed by {@link #instanceIdHex()}. */
    public static long parseId(String hex) {
        try {
            return Long.parseUnsignedLong(hex, 16);
        } catch (NumberFormatException e) {
            throw RuntimeFailure.badRequest("an instance id is hexadecimal, got '" + hex + "'");
        }
    }
}
