package io.jynamo.engine.format.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jynamo.api.ErrorCategory;
import io.jynamo.engine.EngineException;
import io.jynamo.engine.GgmlType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Each way a safetensors model can be broken gives one clear EngineException. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SafetensorsCorruptTest {
    @TempDir
    Path dir;

    /** A safetensors file: declared header length, header JSON, then {@code dataBytes} zero bytes. */
    static byte[] file(long declaredLength, String json, int dataBytes) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(declaredLength).put(h).array();
    }

    static byte[] file(String json, int dataBytes) {
        return file(json.getBytes(StandardCharsets.UTF_8).length, json, dataBytes);
    }

    private Path model(byte[] bytes) throws IOException {
        Files.write(dir.resolve("model.safetensors"), bytes);
        return dir.resolve("model.safetensors");
    }

    private EngineException refused(byte[] bytes, String fragment) throws IOException {
        Path f = model(bytes);
        EngineException e = assertThrows(EngineException.class, () -> SafetensorsModel.open(dir).close());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
        return e;
    }

    private static String tensor(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test
    void missingDirectoryOrFiles() throws IOException {
        Path missing = dir.resolve("nope");
        EngineException e = assertThrows(EngineException.class, () -> SafetensorsModel.open(missing));
        assertEquals("model directory not found: " + missing, e.getMessage());
        assertEquals(ErrorCategory.NOT_FOUND, e.category());
        EngineException empty = assertThrows(EngineException.class, () -> SafetensorsModel.open(dir));
        assertEquals(ErrorCategory.NOT_FOUND, empty.category());
        assertTrue(empty.getMessage().contains("no model.safetensors"), empty.getMessage());
    }

    @Test
    void badHeaders() throws IOException {
        refused(new byte[5], "is not a safetensors file (only 5 bytes)");
        refused(file(1000, "{}", 0), "header length 1000 is larger than the file (10 bytes)");
        refused(file(-1, "{}", 0), "header length 18446744073709551615 is larger than the file");
        refused(file("{\"a\": [1,", 0), "invalid JSON");
        refused(file("[1, 2]", 0), "the top level is not an object");
        refused(file("{" + tensor("a", "F32", "[1]", 0, 4) + "," + tensor("a", "F32", "[1]", 4, 8) + "}", 8), "invalid JSON");
        refused(file("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "tensor a has no dtype");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4), "not a non-negative 64-bit integer");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4), "has no valid data_offsets");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,99999999999999999999]}}", 4),
                "not a non-negative 64-bit integer");
    }

    @Test
    void badOffsetsAndSizes() throws IOException {
        refused(file("{" + tensor("a", "F32", "[1]", 4, 0) + "}", 4), "tensor a has data_offsets [4, 0] out of order");
        refused(file("{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[2]", 4, 12) + "}", 12),
                "tensors a (bytes 0..8) and b (bytes 4..12) overlap");
        refused(file("{" + tensor("a", "F32", "[4]", 0, 16) + "}", 10),
                "is truncated: tensor a needs data bytes 0..16 but the data section has 10");
        refused(file("{" + tensor("a", "F16", "[3]", 0, 8) + "}", 8),
                "tensor a has 8 bytes of data but shape [3] of F16 needs 6");
        refused(file("{" + tensor("a", "I64", "[1]", 0, 4) + "}", 4), "of I64 needs 8");
        refused(file("{" + tensor("a", "F32", "[4294967296,4294967296]", 0, 4) + "}", 4), "too large for 64 bits");
    }

    @Test
    void unsupportedDtypeIsReportedWhenTheTensorIsAskedFor() throws IOException {
        Path f = model(file("{" + tensor("position_ids", "I64", "[2]", 0, 16) + ","
                + tensor("w", "BF16", "[2]", 16, 20) + "," + tensor("odd", "Q9", "[2]", 20, 21) + "}", 21));
        try (SafetensorsModel m = SafetensorsModel.open(dir)) {
            assertEquals(GgmlType.BF16, m.require("w").type());
            assertEquals("I64", m.dtype("position_ids"));
            EngineException e = assertThrows(EngineException.class, () -> m.tensor("position_ids"));
            assertTrue(e.getMessage().startsWith(f + ": tensor position_ids has dtype I64"), e.getMessage());
            assertThrows(EngineException.class, () -> m.require("odd"));
            EngineException missing = assertThrows(EngineException.class, () -> m.require("lm_head.weight"));
            assertEquals(dir + ": missing tensor lm_head.weight", missing.getMessage());
        }
    }

    @Test
    void badIndexes() throws IOException {
        Path index = dir.resolve("model.safetensors.index.json");
        Files.write(dir.resolve("shard-1.safetensors"), file("{" + tensor("a", "F32", "[1]", 0, 4) + "}", 4));

        Files.writeString(index, "{\"weight_map\":{\"a\":\"shard-1.safetensors\",\"b\":\"shard-2.safetensors\"}}");
        EngineException missingShard = assertThrows(EngineException.class, () -> SafetensorsModel.open(dir));
        assertEquals(ErrorCategory.NOT_FOUND, missingShard.category());
        assertTrue(missingShard.getMessage().contains("names shard shard-2.safetensors, which does not exist"),
                missingShard.getMessage());

        Files.writeString(index, "{\"weight_map\":{\"a\":\"shard-1.safetensors\",\"b\":\"shard-1.safetensors\"}}");
        EngineException missingTensor = assertThrows(EngineException.class, () -> SafetensorsModel.open(dir));
        assertTrue(missingTensor.getMessage().contains(
                "tensor b listed in model.safetensors.index.json is missing from shard shard-1.safetensors"),
                missingTensor.getMessage());

        Files.writeString(index, "{\"weight_map\":{\"a\":\"../shard-1.safetensors\"}}");
        EngineException escape = assertThrows(EngineException.class, () -> SafetensorsModel.open(dir));
        assertTrue(escape.getMessage().contains("outside the model directory"), escape.getMessage());

        Files.writeString(index, "{\"metadata\":{}}");
        assertTrue(assertThrows(EngineException.class, () -> SafetensorsModel.open(dir)).getMessage()
                .contains("has no weight_map"));

        Files.writeString(index, "{\"weight_map\":");
        assertTrue(assertThrows(EngineException.class, () -> SafetensorsModel.open(dir)).getMessage()
                .contains("invalid JSON"));

        Files.writeString(index, "{\"weight_map\":{\"a\":\"shard-1.safetensors\"}}");
        try (SafetensorsModel m = SafetensorsModel.open(dir)) {
            assertEquals(java.util.Set.of("a"), m.names());
        }
    }

    @Test
    void duplicateTensorsAcrossUnindexedFiles() throws IOException {
        Files.write(dir.resolve("a.safetensors"), file("{" + tensor("w", "F32", "[1]", 0, 4) + "}", 4));
        Files.write(dir.resolve("b.safetensors"), file("{" + tensor("w", "F32", "[1]", 0, 4) + "}", 4));
        EngineException e = assertThrows(EngineException.class, () -> SafetensorsModel.open(dir));
        assertTrue(e.getMessage().contains("tensor w appears in both a.safetensors and b.safetensors"), e.getMessage());
    }
}
