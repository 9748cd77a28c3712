package io.jynamo.llm;

import io.jynamo.runtime.DiscoveryStore;
import io.jynamo.runtime.Lease;

/**
 * The keys an LLM worker writes in discovery beside its instance records (ARCHITECTURE.md §5), all
 * under its lease so that they vanish when it dies; every key of this layout is named here:
 * <pre>
 * v1/models/{model_slug}/{instance_id_hex} → model entry JSON ({@link ModelEntry#toJson})
 * v1/mdc/{model_slug}                      → model card JSON ({@link PublishedCard#toJson})
 * </pre>
 */
public final class ModelRegistration {
    /** Where every model entry lives. */
    public static final String MODELS_PREFIX = "v1/models/";
    /** Where every model card lives. */
    public static final String MDC_PREFIX = "v1/mdc/";

    private ModelRegistration() {
    }

    public static void registerModel(DiscoveryStore store, Lease lease, ModelEntry entry, long instanceId) {
        store.put(modelKey(entry.slug(), instanceId), entry.toJson(), lease);
    }

    public static void putModelCard(DiscoveryStore store, Lease lease, String modelSlug, byte[] card) {
        store.put(mdcKey(modelSlug), card, lease);
    }

    public static String modelKey(String modelSlug, long instanceId) {
        return modelsPrefix(modelSlug) + Long.toHexString(instanceId);
    }

    /** {@code v1/models/{slug}/}, or every model's entries with an empty slug ({@code v1/models/}). */
    public static String modelsPrefix(String modelSlug) {
        return modelSlug.isEmpty() ? MODELS_PREFIX : MODELS_PREFIX + modelSlug + "/";
    }

    public static String mdcKey(String modelSlug) {
        return MDC_PREFIX + modelSlug;
    }

    /** The slug of a {@code v1/mdc/} key. */
    public static String slugOfMdcKey(String key) {
        return key.substring(MDC_PREFIX.length());
    }
}
