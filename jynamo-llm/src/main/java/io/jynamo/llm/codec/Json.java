package io.jynamo.llm.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jynamo.api.ErrorCategory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The shared Jackson objects and the small helpers every codec here uses. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final JsonFactory FACTORY = MAPPER.getFactory();

    private Json() {
    }

    interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    static byte[] write(Writer w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            w.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static JsonNode read(byte[] json, String what) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || !node.isObject()) {
                throw new CodecException(what + " must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new CodecException(what + " is not valid JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
    }

    static int[] ints(JsonNode array, String field) {
        if (array == null || array.isNull() || array.isMissingNode()) {
            return new int[0];
        }
        if (!array.isArray()) {
            throw new CodecException(field + " must be an array of integers");
        }
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = array.get(i);
            if (!v.canConvertToInt()) {
                throw new CodecException(field + "[" + i + "] must be an integer");
            }
            out[i] = v.intValue();
        }
        return out;
    }

    static void intArray(JsonGenerator g, String field, int[] values) throws IOException {
        g.writeFieldName(field);
        g.writeArray(values, 0, values.length);
    }

    static int integer(JsonNode obj, String field, int dflt) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.canConvertToInt()) {
            throw new CodecException(field + " must be an integer");
        }
        return v.intValue();
    }

    static float number(JsonNode obj, String field, float dflt) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isNumber()) {
            throw new CodecException(field + " must be a number");
        }
        return v.floatValue();
    }

    static boolean bool(JsonNode obj, String field, boolean dflt) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw new CodecException(field + " must be true or false");
        }
        return v.booleanValue();
    }

    static String text(JsonNode obj, String field, String dflt) {
        JsonNode v = obj.get(field);
        return v == null || v.isNull() ? dflt : v.asText();
    }
}
