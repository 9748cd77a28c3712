package io.jynamo.runtime;

import java.util.regex.Pattern;

/**
 * An endpoint a component serves: {@code namespace/component/endpoint}. Each part is a NATS subject
 * token and an etcd key segment, so it is limited to letters, digits, '-' and '_'.
 */
public record EndpointId(String namespace, String component, String endpoint) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public EndpointId {
        check("namespace", namespace);
        check("component", component);
        check("endpoint", endpoint);
    }

    /** Parses {@code ns/component/endpoint} or {@code ns.component.endpoint}. */
    public static EndpointId parse(String path) {
        String[] parts = path == null ? new String[0] : path.split("[/.]", -1);
        if (parts.length != 3) {
            throw RuntimeFailure.badRequest("an endpoint is namespace/component/endpoint, got '" + path + "'");
        }
        return new EndpointId(parts[0], parts[1], parts[2]);
    }

    /** The request subject of one instance of this endpoint: {@code jyn.{ns}.{component}.{endpoint}.{id_hex}}. */
    public String subject(long instanceId) {
        return "jyn." + namespace + "." + component + "." + endpoint + "." + Long.toHexString(instanceId);
    }

    /** The discovery prefix under which this endpoint's instances are registered (ends with '/'). */
    public String instancesPrefix() {
        return Registration.INSTANCES_PREFIX + namespace + "/" + component + "/" + endpoint + "/";
    }

    @Override
    public String toString() {
        return namespace + "/" + component + "/" + endpoint;
    }

    static void check(String what, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw RuntimeFailure.badRequest(what + " must be 1-64 letters, digits, '-' or '_', got '" + value + "'");
        }
    }
}
