package io.jynamo.runtime;

import io.jynamo.runtime.discovery.RegistryJson;

import java.time.Duration;

/**
 * The keys a worker writes in discovery (ARCHITECTURE.md §5), all under its lease so that they vanish
 * when it dies:
 * <pre>
 * v1/instances/{ns}/{component}/{endpoint}/{instance_id_hex} → instance JSON
 * v1/models/{model_slug}/{instance_id_hex}                    → model entry JSON
 * v1/mdc/{model_slug}                                         → model card blob
 * </pre>
 * Instance JSON: {@code {"namespace", "component", "endpoint", "instance_id" (hex), "transport":
 * {"kind": "tcp"|"nats"|"in-process", "address"}}}. Model entry JSON: {@code {"served_name", "endpoint"
 * ("ns/component/endpoint"), "model_type", "kv_block_size", "context_length", "runtime_config"}}.
 */
public final class Registration {
    /** The lease TTL workers register under. */
    public static final Duration TTL = Duration.ofSeconds(10);

    private Registration() {
    }

    public static void registerInstance(DiscoveryStore store, Lease lease, Instance instance) {
        store.put(instance.discoveryKey(), RegistryJson.instance(instance), lease);
    }

    public static void registerModel(DiscoveryStore store, Lease lease, ModelEntry entry, long instanceId) {
        store.put(modelKey(entry.slug(), instanceId), RegistryJson.modelEntry(entry), lease);
    }

    public static void putModelCard(DiscoveryStore store, Lease lease, String modelSlug, byte[] card) {
        store.put(mdcKey(modelSlug), card, lease);
    }

    public static String modelKey(String modelSlug, long instanceId) {
        return modelsPrefix(modelSlug) + Long.toHexString(instanceId);
    }

    /** {@code v1/models/{slug}/}, or every model's entries with an empty slug ({@code v1/models/}). */
    public static String modelsPrefix(String modelSlug) {
        return modelSlug.isEmpty() ? "v1/models/" : "v1/models/" + modelSlug + "/";
    }

    public static String mdcKey(String modelSlug) {
        return "v1/mdc/" + modelSlug;
    }

    public static Instance parseInstance(byte[] json) {
        return RegistryJson.parseInstance(json);
    }

    public static ModelEntry parseModelEntry(byte[] json) {
        return RegistryJson.parseModelEntry(json);
    }
}
