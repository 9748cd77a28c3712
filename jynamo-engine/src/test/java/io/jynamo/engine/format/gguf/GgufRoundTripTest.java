package io.jynamo.engine.format.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jynamo.engine.EngineException;
import io.jynamo.engine.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GgufRoundTripTest {
    @TempDir
    Path dir;

    private static final List<String> NAMES = List.of("tok_embd.weight", "odd.bf16", "blk.0.attn_q.weight",
            "blk.0.f16", "blk.0.q4_0", "blk.0.q4_k", "output.weight");

    @ParameterizedTest
    @ValueSource(longs = {0, 8, 64, 256})
    void everyValueTypeAndTensorSurvivesWriteAndRead(long alignment) throws Exception {
        GgufWriter w = GgufTestFiles.allValueTypes();
        if (alignment != 0) {
            w.putUint32("general.alignment", alignment);
        }
        GgufTestFiles.addTensors(w);
        Map<String, byte[]> data = GgufTestFiles.randomData(w, NAMES);
        Path out = dir.resolve("m.gguf");
        w.write(out, GgufTestFiles.piecewise(data));

        long expectedAlignment = alignment == 0 ? 32 : alignment;
        try (GgufFile f = GgufFile.open(out)) {
            assertEquals(3, f.version());
            assertEquals(expectedAlignment, f.alignment());
            assertEquals(w.metadata(), f.metadata());
            assertEquals(new ArrayList<>(w.metadata().keySet()), new ArrayList<>(f.metadata().keySet()));
            assertEquals(NAMES, f.tensors().stream().map(GgufTensorInfo::name).toList());
            assertEquals(0, f.dataStart() % expectedAlignment);
            long expectedOffset = f.dataStart();
            for (GgufTensorInfo t : f.tensors()) {
                assertEquals(expectedOffset, t.offset(), t.name());
                assertEquals(w.tensorByteSize(t.name()), t.byteSize());
                MemorySegment seg = f.tensorData(t);
                assertArrayEquals(data.get(t.name()), seg.toArray(ValueLayout.JAVA_BYTE), t.name());
                expectedOffset = GgufParser.alignUp(t.offset() + t.byteSize(), expectedAlignment);
            }
            assertEquals(expectedOffset, Files.size(out), "the last tensor is padded too, as llama.cpp writes it");
            GgufTensorInfo f16 = f.tensor("blk.0.f16");
            assertEquals(GgmlType.F16, f16.type());
            assertArrayEquals(new long[] {16, 2, 1, 3}, f16.shape());
            assertEquals(16 * 2 * 3 * 2, f16.byteSize());
            assertEquals(GgmlType.Q6_K, f.tensor("output.weight").type());
            assertEquals(2 * 210, f.tensor("output.weight").byteSize());
            assertNull(f.tensor("nope"));
        }
    }

    @Test
    void valuesKeepTheirExactTypesAndExtremes() throws Exception {
        Path out = dir.resolve("v.gguf");
        GgufTestFiles.writeSmall(out);
        try (GgufFile f = GgufFile.open(out)) {
            assertEquals(GgufValueType.UINT64, f.get("t.u64").orElseThrow().type());
            assertEquals(-1L, f.get("t.u64").orElseThrow().value());
            assertEquals(0xFFFF_FFFFL, f.getLong("t.u32", 0));
            assertEquals(255, f.getInt("t.u8"));
            assertEquals(-128, f.getInt("t.i8"));
            assertEquals(65535, f.getInt("t.u16"));
            assertEquals(1.5e-7f, f.getFloat("t.f32", 0));
            assertEquals("tëst ✓ 模型", f.getString("general.name"));
            assertTrue(f.getBoolean("t.bool", false));
            assertArrayEquals(new String[] {"a", "", "ü", "<0xFF>"}, f.getStringArray("a.str"));
            assertArrayEquals(new int[] {1, -2, 3}, f.getIntArray("a.i32"));
            assertArrayEquals(new int[] {65535, 7}, f.getIntArray("a.u16"));
            float[] f32 = f.getFloatArray("a.f32");
            assertTrue(Float.isNaN(f32[1]));
            assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(f32[2]));
            assertEquals(0, f.getIntArray("a.empty").length);
            assertEquals(7, f.getLong("absent", 7));
            assertFalse(f.has("absent"));
        }
    }

    @Test
    void accessorErrorsNameFileKeyAndType() {
        Path out = dir.resolve("e.gguf");
        GgufTestFiles.writeSmall(out);
        try (GgufFile f = GgufFile.open(out)) {
            EngineException missing = assertThrows(EngineException.class, () -> f.getString("general.missing"));
            assertEquals(out + ": missing metadata key general.missing", missing.getMessage());
            EngineException wrong = assertThrows(EngineException.class, () -> f.getString("t.u32"));
            assertTrue(wrong.getMessage().contains(out.toString()), wrong.getMessage());
            assertTrue(wrong.getMessage().contains("'t.u32' is UINT32, not a string"), wrong.getMessage());
            EngineException range = assertThrows(EngineException.class, () -> f.getInt("t.u32"));
            assertTrue(range.getMessage().contains("does not fit a 32-bit integer"), range.getMessage());
            assertThrows(EngineException.class, () -> f.getIntArray("a.u32"), "u32 0xFFFFFFFF does not fit an int");
            assertThrows(EngineException.class, () -> f.get("t.u64").orElseThrow().asLong());
            EngineException arr = assertThrows(EngineException.class, () -> f.getStringArray("a.i32"));
            assertTrue(arr.getMessage().contains("ARRAY of INT32, not an array of strings"), arr.getMessage());
            assertThrows(EngineException.class, () -> f.getFloat("general.name", 0));
            assertThrows(EngineException.class, () -> f.get("t.f32").orElseThrow().asInt());
        }
    }

    @Test
    void tensorDataIsInvalidAfterClose() {
        Path out = dir.resolve("c.gguf");
        GgufTestFiles.writeSmall(out);
        GgufFile f = GgufFile.open(out);
        MemorySegment seg = f.tensorData(f.tensors().get(0));
        f.close();
        f.close();
        assertThrows(IllegalStateException.class, () -> seg.get(ValueLayout.JAVA_BYTE, 0));
    }

    @Test
    void writerRefusesATensorWriterThatWritesTheWrongAmountAndLeavesNoFile() throws Exception {
        GgufWriter w = new GgufWriter().addTensor("a", GgmlType.F32, 4);
        Path out = dir.resolve("short.gguf");
        EngineException few = assertThrows(EngineException.class,
                () -> w.write(out, (n, ch) -> ch.write(ByteBuffer.allocate(15))));
        assertTrue(few.getMessage().contains("wrote 15 bytes for tensor a, which needs exactly 16"), few.getMessage());
        EngineException many = assertThrows(EngineException.class,
                () -> w.write(out, (n, ch) -> ch.write(ByteBuffer.allocate(17))));
        assertTrue(many.getMessage().contains("more than the 16 bytes of tensor a"), many.getMessage());
        try (var s = Files.list(dir)) {
            assertEquals(List.of(), s.toList(), "no partial or temporary file is left behind");
        }
    }

    @Test
    void writerValidatesTensorDeclarations() {
        GgufWriter w = new GgufWriter();
        EngineException rows = assertThrows(EngineException.class, () -> w.addTensor("q", GgmlType.Q8_0, 33, 2));
        assertTrue(rows.getMessage().contains("not a multiple of its block size 32"), rows.getMessage());
        assertThrows(EngineException.class, () -> w.addTensor("z", GgmlType.F32, 4, 0));
        assertThrows(EngineException.class, () -> w.addTensor("five", GgmlType.F32, 1, 1, 1, 1, 1));
        assertThrows(EngineException.class, () -> w.addTensor("x".repeat(64), GgmlType.F32, 1));
        w.addTensor("ok", GgmlType.F32, 1);
        assertThrows(EngineException.class, () -> w.addTensor("ok", GgmlType.F32, 1));
        assertThrows(EngineException.class, () -> w.putUint32("general.alignment", 48).alignment());
    }

    @Test
    void copiesTensorsFromAnotherFileWithoutHeapCopies() {
        Path src = dir.resolve("src.gguf");
        Map<String, byte[]> data = GgufTestFiles.writeSmall(src);
        Path dst = dir.resolve("dst.gguf");
        try (GgufFile f = GgufFile.open(src)) {
            GgufWriter w = new GgufWriter().copyMetadataFrom(f, k -> k.startsWith("a."));
            for (GgufTensorInfo t : f.tensors()) {
                w.addTensor(t.name(), t.type(), t.shape());
            }
            w.write(dst, GgufWriter.TensorWriter.fromSegments(n -> f.tensorData(f.tensor(n))));
        }
        try (GgufFile g = GgufFile.open(dst)) {
            assertTrue(g.metadata().keySet().stream().allMatch(k -> k.startsWith("a.")));
            assertEquals(13, g.metadata().size());
            for (GgufTensorInfo t : g.tensors()) {
                assertArrayEquals(data.get(t.name()), g.tensorData(t).toArray(ValueLayout.JAVA_BYTE));
            }
        }
    }
}
