package io.jynamo.engine.format.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jynamo.engine.EngineException;
import io.jynamo.engine.format.gguf.GgufWriter.TensorWriter;
import io.jynamo.engine.GgmlType;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SafetensorsRoundTripTest {
    @TempDir
    Path dir;

    private final Map<String, byte[]> data = new HashMap<>();

    /** Five tensors of 24, 8, 12, 4 and 0 bytes plus a 4000-byte embedding. */
    private SafetensorsWriter writer() {
        SafetensorsWriter w = new SafetensorsWriter()
                .putMetadata("format", "pt")
                .addTensor("model.embed_tokens.weight", GgmlType.BF16, 40, 50)
                .addTensor("model.layers.0.self_attn.q_proj.weight", GgmlType.F32, 2, 3)
                .addTensor("model.norm.weight", GgmlType.F16, 4)
                .addTensor("lm_head.weight", GgmlType.BF16, 3, 1, 2)
                .addTensor("scalar", GgmlType.F32)
                .addTensor("empty", GgmlType.F16, 0, 5);
        fill("model.embed_tokens.weight", 4000);
        fill("model.layers.0.self_attn.q_proj.weight", 24);
        fill("model.norm.weight", 8);
        fill("lm_head.weight", 12);
        fill("scalar", 4);
        fill("empty", 0);
        return w;
    }

    private void fill(String name, int bytes) {
        byte[] b = new byte[bytes];
        new Random(name.hashCode()).nextBytes(b);
        data.put(name, b);
    }

    private TensorWriter source() {
        return (name, ch) -> ch.write(ByteBuffer.wrap(data.get(name)));
    }

    private void assertAllTensors(SafetensorsModel m) {
        assertEquals(data.keySet(), m.names());
        for (String n : data.keySet()) {
            assertArrayEquals(data.get(n), m.require(n).data().toArray(ValueLayout.JAVA_BYTE), n);
        }
        SafetensorsTensor q = m.require("model.layers.0.self_attn.q_proj.weight");
        assertEquals(GgmlType.F32, q.type());
        assertArrayEquals(new long[] {2, 3}, q.shape());
        assertEquals(GgmlType.BF16, m.require("lm_head.weight").type());
        assertArrayEquals(new long[] {3, 1, 2}, m.require("lm_head.weight").shape());
        assertEquals(GgmlType.F16, m.require("model.norm.weight").type());
        assertEquals(0, m.require("scalar").rank());
        assertEquals(1, m.require("scalar").elementCount());
        assertEquals(0, m.require("empty").data().byteSize());
        assertNull(m.tensor("absent"));
    }

    @Test
    void singleFileRoundTrip() throws Exception {
        Path file = dir.resolve("model.safetensors");
        writer().write(file, source());
        try (SafetensorsModel m = SafetensorsModel.open(dir)) {
            assertAllTensors(m);
            assertEquals("pt", m.metadata().get("format"));
            assertEquals(dir, m.directory());
            assertEquals(List.of("model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight",
                    "model.norm.weight", "lm_head.weight", "scalar", "empty"), List.copyOf(m.names()));
        }
        try (SafetensorsModel m = SafetensorsModel.open(file)) {
            assertAllTensors(m);
        }
    }

    @Test
    void headerLayoutMatchesTheFormat() throws Exception {
        Path file = dir.resolve("model.safetensors");
        writer().write(file, source());
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "the header is padded to 8 bytes");
        String json = new String(bytes, 8, (int) n, java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\"__metadata__\":{\"format\":\"pt\"},\"model.embed_tokens.weight\":"
                + "{\"dtype\":\"BF16\",\"shape\":[40,50],\"data_offsets\":[0,4000]}"), json);
        assertTrue(json.stripTrailing().endsWith("}"), "padding is spaces after the JSON");
        JsonNode root = new ObjectMapper().readTree(json);
        assertEquals("[4000,4024]", root.get("model.layers.0.self_attn.q_proj.weight").get("data_offsets").toString());
        assertEquals("[]", root.get("scalar").get("shape").toString());
        assertEquals(8 + n + 4000 + 24 + 8 + 12 + 4, bytes.length);
    }

    @Test
    void shardedRoundTrip() throws Exception {
        List<Path> shards = writer().writeSharded(dir, 30, source());
        assertEquals(List.of("model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
                "model-00003-of-00003.safetensors"), shards.stream().map(p -> p.getFileName().toString()).toList(),
                "4000 bytes alone; 24 (24+8 would pass 30); then 8+12+4+0");
        JsonNode index = new ObjectMapper().readTree(dir.resolve("model.safetensors.index.json").toFile());
        assertEquals(4048, index.get("metadata").get("total_size").asLong());
        assertEquals("model-00001-of-00003.safetensors", index.get("weight_map").get("model.embed_tokens.weight").asText());
        assertEquals("model-00002-of-00003.safetensors",
                index.get("weight_map").get("model.layers.0.self_attn.q_proj.weight").asText());
        assertEquals("model-00003-of-00003.safetensors", index.get("weight_map").get("empty").asText());
        try (SafetensorsModel m = SafetensorsModel.open(dir)) {
            assertAllTensors(m);
        }
    }

    @Test
    void severalFilesWithoutAnIndexAreAllRead() throws Exception {
        writer().writeSharded(dir, 30, source());
        Files.delete(dir.resolve("model.safetensors.index.json"));
        try (SafetensorsModel m = SafetensorsModel.open(dir)) {
            assertAllTensors(m);
        }
    }

    @Test
    void writerRefusesWrongByteCountsAndTypes() throws Exception {
        SafetensorsWriter w = new SafetensorsWriter().addTensor("a", GgmlType.F32, 2);
        EngineException e = assertThrows(EngineException.class,
                () -> w.write(dir.resolve("x.safetensors"), (n, ch) -> ch.write(ByteBuffer.allocate(7))));
        assertTrue(e.getMessage().contains("wrote 7 bytes for tensor a, which needs exactly 8"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("x.safetensors")));
        EngineException q = assertThrows(EngineException.class, () -> w.addTensor("q", GgmlType.Q8_0, 32));
        assertTrue(q.getMessage().contains("Q8_0"), q.getMessage());
        assertThrows(EngineException.class, () -> w.addTensor("a", GgmlType.F32, 2));
        assertThrows(EngineException.class, () -> w.addTensor("n", GgmlType.F32, -1));
        assertThrows(EngineException.class, () -> w.writeSharded(dir, 0, (n, ch) -> {}));
    }
}
