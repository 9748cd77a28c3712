package io.jynamo.runtime.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jynamo.api.ErrorCategory;
import io.jynamo.runtime.EndpointId;
import io.jynamo.runtime.Instance;
import io.jynamo.runtime.RuntimeFailure;
import io.jynamo.runtime.Transport;

import java.io.IOException;

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
