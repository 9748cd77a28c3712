package io.jynamo.runtime.discovery;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jynamo.api.ErrorCategory;
import io.jynamo.runtime.EndpointId;
import io.jynamo.runtime.Instance;
import io.jynamo.runtime.ModelEntry;
import io.jynamo.runtime.RuntimeFailure;
import io.jynamo.runtime.Transport;

import java.io.IOException;
import java.util.Map;

/** The JSON of what {@code Registration} writes (layout in its doc). */
public final class RegistryJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RegistryJson() {
    }

    public static byte[] instance(Instance i) {
        ObjectNode o = JSON.createObjectNode();
        o.put("namespace", i.endpoint().namespace());
        o.put("component", i.endpoint().component());
        o.put("endpoint", i.endpoint().endpoint());
        o.put("instance_id", i.instanceIdHex());
        ObjectNode t = o.putObject("transport");
        t.put("kind", i.transport().kind().wireName());
        t.put("address", i.transport().address());
        return bytes(o);
    }

    public static Instance parseInstance(byte[] json) {
        JsonNode o = read(json, "instance");
        EndpointId endpoint = new EndpointId(o.path("namespace").asText(null), o.path("component").asText(null),
                o.path("endpoint").asText(null));
        JsonNode t = o.path("transport");
        return new Instance(endpoint, Instance.parseId(o.path("instance_id").asText("")),
                new Transport(Transport.Kind.fromWire(t.path("kind").asText("tcp")), t.path("address").asText(null)));
    }

    public static byte[] modelEntry(ModelEntry m) {
        ObjectNode o = JSON.createObjectNode();
        o.put("served_name", m.servedName());
        o.put("endpoint", m.endpoint().toString());
        o.put("model_type", m.modelType());
        o.put("kv_block_size", m.kvBlockSize());
        o.put("context_length", m.contextLength());
        o.set("runtime_config", JSON.valueToTree(m.runtimeConfig()));
        return bytes(o);
    }

    public static ModelEntry parseModelEntry(byte[] json) {
        JsonNode o = read(json, "model entry");
        Map<String, Object> config = o.has("runtime_config")
                ? JSON.convertValue(o.get("runtime_config"), new TypeReference<Map<String, Object>>() { })
                : Map.of();
        return new ModelEntry(o.path("served_name").asText(null), EndpointId.parse(o.path("endpoint").asText(null)),
                o.path("model_type").asText(null), o.path("kv_block_size").asInt(16),
                o.path("context_length").asInt(4096), config);
    }

    private static JsonNode read(byte[] json, String what) {
        try {
            JsonNode o = JSON.readTree(json);
            if (o == null || !o.isObject()) {
                throw RuntimeFailure.badRequest("a registered " + what + " must be a JSON object");
            }
            return o;
        } catch (IOException e) {
            throw new RuntimeFailure(ErrorCategory.BAD_REQUEST, "a registered " + what + " is not valid JSON", e);
        }
    }

    private static byte[] bytes(JsonNode o) {
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
