package io.jynamo.frontend.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.jynamo.frontend.FrontendException;

import java.util.ArrayList;
import java.util.List;

/** Typed reads of a JSON object's fields; a wrong type is a 400 that names the field. Null = absent. */
final class Fields {
    private final JsonNode node;

    Fields(JsonNode node) {
        this.node = node;
    }

    boolean has(String name) {
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    JsonNode get(String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v;
    }

    String string(String name) {
        JsonNode v = get(name);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw FrontendException.badField(name, "'" + name + "' must be a string");
        }
        return v.textValue();
    }

    Boolean bool(String name) {
        JsonNode v = get(name);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            throw FrontendException.badField(name, "'" + name + "' must be a boolean");
        }
        return v.booleanValue();
    }

    boolean bool(String name, boolean otherwise) {
        Boolean b = bool(name);
        return b == null ? otherwise : b;
    }

    Double number(String name) {
        JsonNode v = get(name);
        if (v == null) {
            return null;
        }
        if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
            throw FrontendException.badField(name, "'" + name + "' must be a number");
        }
        return v.doubleValue();
    }

    Integer integer(String name) {
        JsonNode v = get(name);
        return v == null ? null : toInt(v, name);
    }

    int integer(String name, int otherwise) {
        Integer i = integer(name);
        return i == null ? otherwise : i;
    }

    Long longInteger(String name) {
        JsonNode v = get(name);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw FrontendException.badField(name, "'" + name + "' must be an integer");
        }
        return v.longValue();
    }

    /** A string or a list of strings, as {@code stop} is. */
    List<String> stringOrList(String name, int max) {
        JsonNode v = get(name);
        if (v == null) {
            return List.of();
        }
        if (v.isTextual()) {
            return List.of(v.textValue());
        }
        if (!v.isArray()) {
            throw FrontendException.badField(name, "'" + name + "' must be a string or a list of strings");
        }
        if (v.size() > max) {
            throw FrontendException.badField(name, "'" + name + "' may hold at most " + max + " strings");
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw FrontendException.badField(name, "'" + name + "' must be a string or a list of strings");
            }
            out.add(e.textValue());
        }
        return out;
    }

    int[] intList(String name) {
        JsonNode v = get(name);
        if (v == null) {
            return new int[0];
        }
        if (!v.isArray()) {
            throw FrontendException.badField(name, "'" + name + "' must be a list of integers");
        }
        int[] out = new int[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = toInt(v.get(i), name);
        }
        return out;
    }

    static int toInt(JsonNode v, String name) {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw FrontendException.badField(name, "'" + name + "' must be an integer");
        }
        return v.intValue();
    }
}
