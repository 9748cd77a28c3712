package io.jynamo.engine.format.safetensors;

import io.jynamo.engine.EngineException;
import io.jynamo.engine.format.CorruptionFuzz;
import io.jynamo.engine.GgmlType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A damaged safetensors file opens and reads fine or fails with an EngineException, never anything else. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SafetensorsFuzzTest {
    private static final long SEED = 20261129L;
    private static final byte[] VALID = validFile();

    private static byte[] validFile() {
        try {
            Path dir = Files.createTempDirectory("st-fuzz");
            Path p = dir.resolve("model.safetensors");
            new SafetensorsWriter().putMetadata("format", "pt")
                    .addTensor("a", GgmlType.F32, 2, 3)
                    .addTensor("b", GgmlType.BF16, 5)
                    .addTensor("c", GgmlType.F16, 1, 1)
                    .write(p, (n, ch) -> ch.write(ByteBuffer.allocate(n.equals("a") ? 24 : n.equals("b") ? 10 : 2)));
            byte[] b = Files.readAllBytes(p);
            Files.delete(p);
            Files.delete(dir);
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void truncatedFilesFailCleanly() throws IOException {
        CorruptionFuzz.truncations(VALID, SEED, 200, SafetensorsFuzzTest::check);
    }

    @Test
    void overwrittenBytesFailCleanly() throws IOException {
        CorruptionFuzz.overwrites(VALID, SEED + 1, 400, 3, SafetensorsFuzzTest::check);
    }

    private static void check(byte[] bytes, String what) throws IOException {
        Path dir = Files.createTempDirectory("st-fuzz");
        Path p = dir.resolve("model.safetensors");
        try {
            Files.write(p, bytes);
            try (SafetensorsModel m = SafetensorsModel.open(dir)) {
                for (String n : m.names()) {
                    try {
                        var seg = m.require(n).data();
                        if (seg.byteSize() > 0) {
                            seg.get(ValueLayout.JAVA_BYTE, seg.byteSize() - 1);
                        }
                    } catch (EngineException unsupportedDtype) {
                        // a flipped dtype is reported on access, which is fine
                    }
                }
            } catch (EngineException expected) {
                if (expected.getMessage().contains("\n")) {
                    throw new AssertionError(what + ": multi-line message " + expected.getMessage());
                }
            } catch (Throwable t) {
                throw new AssertionError(what + ": escaped as " + t, t);
            }
        } finally {
            Files.deleteIfExists(p);
            Files.deleteIfExists(dir);
        }
    }
}
