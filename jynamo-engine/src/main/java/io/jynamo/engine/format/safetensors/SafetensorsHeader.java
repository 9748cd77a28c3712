package io.jynamo.engine.format.safetensors;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jynamo.engine.EngineException;
import io.jynamo.engine.format.gguf.Printable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and validated header of one safetensors file. Entries keep the header's order; their
 * offsets are relative to {@link #dataStart}.
 */
record SafetensorsHeader(Map<String, String> metadata, List<Entry> entries, long dataStart) {
    /** Safetensors' own reader refuses headers above 100 MB; so do we, before copying one. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA_KEY = "__metadata__";

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    record Entry(String name, String dtype, long[] shape, long begin, long end) {
        long byteSize() {
            return end - begin;
        }
    }

    static SafetensorsHeader parse(Path file, MemorySegment mapping) {
        long size = mapping.byteSize();
        if (size < 8) {
            throw EngineException.badInput(file + " is not a safetensors file (only " + size + " bytes)");
        }
        long n = mapping.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (n < 0 || n > size - 8) {
            throw EngineException.badInput(file + ": header length " + Long.toUnsignedString(n)
                    + " is larger than the file (" + size + " bytes)");
        }
        if (n > MAX_HEADER_BYTES) {
            throw EngineException.badInput(file + ": header length " + n + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        JsonNode root = readJson(file, mapping.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE));
        long dataStart = 8 + n;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(METADATA_KEY)) {
                readMetadata(file, field.getValue(), metadata);
            } else {
                entries.add(entry(file, field.getKey(), field.getValue(), size - dataStart));
            }
        }
        checkOverlaps(file, entries);
        return new SafetensorsHeader(metadata, List.copyOf(entries), dataStart);
    }

    static JsonNode readJson(Path file, byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw EngineException.badInput(file + ": invalid JSON: " + oneLine(e));
        } catch (java.io.IOException e) {
            throw EngineException.badInput(file + ": cannot parse JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw EngineException.badInput(file + ": invalid JSON: the top level is not an object");
        }
        return root;
    }

    private static String oneLine(JacksonException e) {
        String where = e.getLocation() == null ? "" : " at byte " + e.getLocation().getByteOffset();
        return Printable.of(String.valueOf(e.getOriginalMessage())) + where;
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> out) {
        if (!node.isObject()) {
            throw EngineException.badInput(file + ": " + METADATA_KEY + " is not an object");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            out.put(e.getKey(), e.getValue().isTextual() ? e.getValue().textValue() : e.getValue().toString());
        }
    }

    private static Entry entry(Path file, String name, JsonNode node, long dataBytes) {
        String what = file + ": tensor " + Printable.of(name);
        if (!node.isObject()) {
            throw EngineException.badInput(what + " is not described by a JSON object");
        }
        JsonNode dtype = node.get("dtype");
        if (dtype == null || !dtype.isTextual()) {
            throw EngineException.badInput(what + " has no dtype");
        }
        long[] shape = longs(what, "shape", node.get("shape"), -1);
        long[] offsets = longs(what, "data_offsets", node.get("data_offsets"), 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw EngineException.badInput(what + " has data_offsets [" + begin + ", " + end + "] out of order");
        }
        if (end > dataBytes) {
            throw EngineException.badInput(file + " is truncated: tensor " + Printable.of(name) + " needs data bytes "
                    + begin + ".." + end + " but the data section has " + dataBytes);
        }
        checkSize(what, dtype.textValue(), shape, end - begin);
        return new Entry(name, dtype.textValue(), shape, begin, end);
    }

    /** A JSON array of non-negative integers, of length {@code length} unless that is -1. */
    private static long[] longs(String what, String field, JsonNode node, int length) {
        if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
            throw EngineException.badInput(what + " has no valid " + field
                    + (length >= 0 ? " (an array of " + length + " integers)" : " (an array of integers)"));
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw EngineException.badInput(what + " has " + field + " element " + Printable.of(v.toString())
                        + ", not a non-negative 64-bit integer");
            }
            out[i] = v.longValue();
        }
        return out;
    }

    private static void checkSize(String what, String dtype, long[] shape, long bytes) {
        int bits = SafetensorsDtype.bits(dtype);
        if (bits < 0) {
            return; // an unknown dtype is reported only if someone asks for the tensor
        }
        long elements = 1;
        for (long d : shape) {
            elements = d == 0 || elements == 0 ? 0 : (elements > Long.MAX_VALUE / d ? -1 : elements * d);
            if (elements < 0) {
                throw EngineException.badInput(what + " has shape " + Arrays.toString(shape) + ", too large for 64 bits");
            }
        }
        long expected = SafetensorsDtype.byteSize(elements, bits);
        if (expected != bytes) {
            throw EngineException.badInput(what + " has " + bytes + " bytes of data but shape " + Arrays.toString(shape)
                    + " of " + Printable.of(dtype) + " needs " + expected);
        }
    }

    private static void checkOverlaps(Path file, List<Entry> entries) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        for (int i = 1; i < sorted.size(); i++) {
            Entry a = sorted.get(i - 1);
            Entry b = sorted.get(i);
            if (b.begin() < a.end()) {
                throw EngineException.badInput(file + ": tensors " + Printable.of(a.name()) + " (bytes " + a.begin() + ".."
                        + a.end() + ") and " + Printable.of(b.name()) + " (bytes " + b.begin() + ".." + b.end() + ") overlap");
            }
        }
    }
}
