package io.jynamo.engine.format.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jynamo.api.ErrorCategory;
import io.jynamo.engine.EngineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Each way a GGUF file can be broken gives one clear EngineException naming the file. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GgufCorruptFileTest {
    @TempDir
    Path dir;

    private Path file(byte[] bytes) throws IOException {
        Path p = Files.createTempFile(dir, "c", ".gguf");
        Files.write(p, bytes);
        return p;
    }

    /** Opens {@code bytes} expecting failure, and checks the message names the file and holds {@code fragment}. */
    private EngineException refused(byte[] bytes, String fragment) throws IOException {
        Path p = file(bytes);
        EngineException e = assertThrows(EngineException.class, () -> GgufFile.open(p).close());
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
        return e;
    }

    @Test
    void theBaselineIsValid() throws IOException {
        try (GgufFile f = GgufFile.open(file(RawGguf.valid().toArray()))) {
            assertEquals(1, f.tensors().size());
            assertEquals(96, f.tensors().get(0).offset(), "24 header + 17 metadata + 33 tensor info, padded to 32");
        }
        byte[] v2 = RawGguf.valid().toArray();
        v2[4] = 2;
        try (GgufFile f = GgufFile.open(file(v2))) {
            assertEquals(2, f.version());
        }
    }

    @Test
    void missingFileAndDirectory() {
        Path missing = dir.resolve("nope.gguf");
        EngineException e = assertThrows(EngineException.class, () -> GgufFile.open(missing));
        assertEquals("model file not found: " + missing, e.getMessage());
        assertEquals(ErrorCategory.NOT_FOUND, e.category());
        EngineException d = assertThrows(EngineException.class, () -> GgufFile.open(dir));
        assertTrue(d.getMessage().contains("is a directory"), d.getMessage());
    }

    @Test
    void tooShortOrWrongMagic() throws IOException {
        refused(new byte[0], "is not a GGUF file");
        refused(new byte[] {'G', 'G'}, "is not a GGUF file");
        refused(Arrays.copyOf(RawGguf.valid().toArray(), 10), "is truncated: the GGUF header needs 24 bytes but the file has 10");
        byte[] ggml = RawGguf.valid().toArray();
        ggml[3] = 'L';
        refused(ggml, "is not a GGUF file (magic 0x4747554c");
    }

    @Test
    void unsupportedVersions() throws IOException {
        byte[] v1 = RawGguf.valid().toArray();
        v1[4] = 1;
        Path p = file(v1);
        EngineException e = assertThrows(EngineException.class, () -> GgufFile.open(p));
        assertEquals("unsupported GGUF version 1 in " + p + " (supported: 2, 3)", e.getMessage());
        byte[] bigEndian = new RawGguf().header(Integer.reverseBytes(3), 0, 0).toArray();
        refused(bigEndian, "big-endian");
    }

    @Test
    void truncatedAtEveryStage() throws IOException {
        byte[] ok = RawGguf.valid().toArray();
        refused(Arrays.copyOf(ok, 30), "the header has a metadata count of 1, which cannot fit in the 6 bytes");
        byte[] longKey = new RawGguf().header(3, 0, 1).kvU32("a.rather.long.key", 1).toArray();
        refused(Arrays.copyOf(longKey, 24 + 8 + 5), "metadata entry #0 has a string length of 17");
        refused(Arrays.copyOf(ok, 37), "is truncated: metadata key 'a' needs 4 bytes at offset 37 but the file has 37");
        refused(Arrays.copyOf(ok, 48), "the header has a tensor count of 1, which cannot fit in the 7 bytes");
        refused(Arrays.copyOf(ok, 73), "is truncated: tensor info 't' needs 8 bytes at offset 66");
        refused(Arrays.copyOf(ok, 110), "is truncated: tensor t needs bytes 96..128 but the file has 110");
    }

    @Test
    void absurdCountsAreRefusedBeforeAllocating() throws IOException {
        refused(new RawGguf().header(3, Long.MAX_VALUE, 0).toArray(), "tensor count of 9223372036854775807");
        refused(new RawGguf().header(3, 0, -1).toArray(), "metadata count of 18446744073709551615");
        refused(new RawGguf().header(3, 0, 1_000_000).kvU32("a", 1).toArray(), "which cannot fit");
        refused(new RawGguf().header(3, 0, 1).i64(1L << 40).zeros(16).toArray(), "string length of 1099511627776");
        byte[] hugeArray = new RawGguf().header(3, 0, 1).str("k").i32(9).i32(GgufValueType.INT64.id())
                .i64(Integer.MAX_VALUE - 100).i64(1).toArray();
        refused(hugeArray, "metadata key 'k' has an array length of 2147483547");
        byte[] hugeStrings = new RawGguf().header(3, 0, 1).str("k").i32(9).i32(GgufValueType.STRING.id())
                .i64(5).str("x").toArray();
        refused(hugeStrings, "array length of 5");
    }

    @Test
    void badValueTypes() throws IOException {
        refused(new RawGguf().header(3, 0, 1).str("k").i32(13).i32(0).toArray(),
                "metadata key 'k' has unknown value type id 13");
        refused(new RawGguf().header(3, 0, 1).str("k").i32(9).i32(77).i64(0).toArray(), "unknown value type id 77");
        refused(new RawGguf().header(3, 0, 1).str("k").i32(9).i32(9).i64(0).toArray(), "array of arrays");
        refused(new RawGguf().header(3, 0, 1).str("").i32(4).i32(0).toArray(), "empty key");
        refused(new RawGguf().header(3, 0, 2).kvU32("a", 1).kvU32("a", 2).toArray(), "duplicate metadata key 'a'");
    }

    @Test
    void badAlignment() throws IOException {
        refused(new RawGguf().header(3, 0, 1).kvU32("general.alignment", 48).toArray(), "not a power of 2");
        refused(new RawGguf().header(3, 0, 1).kvU32("general.alignment", 0).toArray(), "not a power of 2");
        refused(new RawGguf().header(3, 0, 1).str("general.alignment").i32(GgufValueType.INT32.id()).i32(32).toArray(),
                "general.alignment must be UINT32, got INT32");
    }

    @Test
    void badTensorInfos() throws IOException {
        refused(tensorFile(2, t -> t.tensor("t", 0, 0, 8).tensor("t", 0, 32, 8)), "duplicate tensor name 't'");
        refused(tensorFile(t -> t.tensor("t", 0, 0)), "tensor 't' has 0 dimensions (supported: 1..4)");
        refused(tensorFile(t -> t.tensor("t", 0, 0, 1, 1, 1, 1, 1)), "has 5 dimensions");
        refused(tensorFile(t -> t.tensor("t", 0, 0, 8, 0)), "dimension 1 of size 0");
        refused(tensorFile(t -> t.tensor("t", 0, 0, -8)), "dimension 0 of size 18446744073709551608");
        refused(tensorFile(t -> t.tensor("t", 0, 0, 1L << 40, 1L << 40)), "more elements than fit in 64 bits");
        refused(tensorFile(t -> t.tensor("q", 8, 0, 33)), "not a multiple of its block size 32");
        refused(tensorFile(t -> t.tensor("t", 0, 4, 8)), "tensor 't' has offset 4, not a multiple of the alignment 32");
        refused(tensorFile(t -> t.tensor("t", 0, 1L << 62, 8)), "is truncated: tensor t needs bytes");
        refused(tensorFile(t -> t.tensor("t", 0, -32, 8)), "offset 18446744073709551584");
    }

    @Test
    void unsupportedTensorTypesAreNamed() throws IOException {
        EngineException q5 = refused(tensorFile(t -> t.tensor("blk.0.ffn_up.weight", 6, 0, 32)), "Q5_0");
        assertTrue(q5.getMessage().contains("blk.0.ffn_up.weight"), q5.getMessage());
        refused(tensorFile(t -> t.tensor("t", 999, 0, 32)), "type#999");
        refused(tensorFile(t -> t.tensor("t", -1, 0, 32)), "unsupported weight type");
    }

    private static byte[] tensorFile(UnaryOperator<RawGguf> info) {
        return tensorFile(1, info);
    }

    /** {@code n} tensor infos written by {@code info}, then 64 bytes of data: enough for the 8-value tensors above. */
    private static byte[] tensorFile(int n, UnaryOperator<RawGguf> info) {
        return info.apply(new RawGguf().header(3, n, 0)).padTo(32).zeros(64).toArray();
    }
}
