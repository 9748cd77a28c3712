package io.jynamo.llm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jynamo.api.ErrorCategory;
import io.jynamo.runtime.EndpointId;

import java.io.IOException;
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
 *
 * <p>JSON: {@code {"served_name", "endpoint" ("ns/component/endpoint"), "model_type", "kv_block_size",
 * "context_length", "runtime_config"}}.
 */
public record ModelEntry(String servedName, EndpointId endpoint, String modelType, int kvBlockSize, int contextLength,
                         Map<String, Object> runtimeConfig) {
    public ModelEntry {
        if (servedName == null || servedName.isBlank()) {
            throw LlmException.badInput("a model entry needs a served name");
        }
        Objects.requireNonNull(endpoint, "endpoint");
        modelType = modelType == null ? "chat" : modelType;
        if (kvBlockSize < 1 || contextLength < 1) {
            throw LlmException.badInput("kv block size and context length must be positive");
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

    private static final ObjectMapper JSON = new ObjectMapper();

    public byte[] toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("served_name", servedName);
        o.put("endpoint", endpoint.toString());
        o.put("model_type", modelType);
        o.put("kv_block_size", kvBlockSize);
        o.put("context_length", contextLength);
        o.set("runtime_config", JSON.valueToTree(runtimeConfig));
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw LlmException.internal("cannot write a model entry", e);
        }
    }

    /** A model entry as {@link #toJson} wrote it; a BAD_REQUEST when it is not one. */
    public static ModelEntry parse(byte[] json) {
        JsonNode o;
        try {
            o = JSON.readTree(json);
        } catch (IOException e) {
            throw new LlmException(ErrorCategory.BAD_REQUEST, "a registered model entry is not valid JSON", e);
        }
        if (o == null || !o.isObject()) {
            throw LlmException.badInput("a registered model entry must be a JSON object");
        }
        Map<String, Object> config = o.has("runtime_config")
                ? JSON.convertValue(o.get("runtime_config"), new TypeReference<Map<String, Object>>() { })
                : Map.of();
        return new ModelEntry(o.path("served_name").asText(null), EndpointId.parse(o.path("endpoint").asText(null)),
                o.path("model_type").asText(null), o.path("kv_block_size").asInt(16),
                o.path("context_length").asInt(4096), config);
    }
}
