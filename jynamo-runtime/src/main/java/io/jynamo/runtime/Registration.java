package io.jynamo.runtime;

import io.jynamo.runtime.discovery.RegistryJson;

import java.time.Duration;

/**
 * The instance keys a process writes in discovery (ARCHITECTURE.md §5), under its lease so that they
 * vanish when it dies:
 * <pre>
 * v1/instances/{ns}/{component}/{endpoint}/{instance_id_hex} → instance JSON
 * </pre>
 * Instance JSON: {@code {"namespace", "component", "endpoint", "instance_id" (hex), "transport":
 * {"kind": "tcp"|"nats"|"in-process", "address"}}}. What LLM workers register beside it (model entries,
 * model cards) is the llm module's {@code ModelRegistration}.
 */
public final class Registration {
    /** The lease TTL workers register under. */
    public static final Duration TTL = Duration.ofSeconds(10);
    /** Where every instance record lives. */
    public static final String INSTANCES_PREFIX = "v1/instances/";

    private Registration() {
    }

    public static void registerInstance(DiscoveryStore store, Lease lease, Instance instance) {
        store.put(instance.discoveryKey(), RegistryJson.instance(instance), lease);
    }

    public static Instance parseInstance(byte[] json) {
        return RegistryJson.parseInstance(json);
    }
}
