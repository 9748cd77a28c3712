package io.jynamo.runtime;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a worker registers about the model it serves, under {@code v1/models/{model_slug}/{instance_id_hex}}.
 *
 * @param servedName    the model name clients ask for
 * @param endpoint      where to send its requests
 * @param modelType     chat, completions, embedding…
 * @param kvBlockSize   tokens per KV block (for routing by prefix)
 * @param contextLength longest prompt + completion
 * @param runtimeConfig anything else the frontend or router may read (free-form)
 */
public record ModelEntry(String servedName, EndpointId endpoint, String modelType, int kvBlockSize, int contextLength,
                         Map<String, Object> runtimeConfig) {
    public ModelEntry {
        if (servedName == null || servedName.isBlank()) {
            throw RuntimeFailure.badRequest("a model entry needs a served name");
        }
        Objects.requireNonNull(endpoint, "endpoint");
        modelType = modelType == null ? "chat" : modelType;
        if (kvBlockSize < 1 || contextLength < 1) {
            throw RuntimeFailure.badRequest("kv block size and context length must be positive");
        }
        runtimeConfig = runtimeConfig == null ? Map.of() : Map.copyOf(runtimeConfig);
    }

    public String slug() {
        return slug(servedName);
    }

    /** A served name as a key segment: lower case, every character but a-z 0-9 '.' '-' '_' turned into '_'. */
    public static String slug(String servedName) {
        StringBuilder sb = new StringBuilder(servedName.length());
        for (char c : servedName.toLowerCase(Locale.ROOT).toCharArray()) {
            sb.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' ? c : '_');
        }
        return sb.toString();
    }
}
