package io.jynamo.engine.format.gguf;

import io.jynamo.engine.EngineException;
import io.jynamo.engine.format.CorruptionFuzz;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Damaged files never escape as anything but an EngineException: a valid small file (every value
 * type, several tensors) is cut short or has bytes overwritten at random, and opening it must
 * either succeed, with every value and tensor readable, or fail with an EngineException. Seeded, so
 * a failure names the case that reproduces it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GgufFuzzTest {
    private static final long SEED = 20261129L;
    private static final byte[] VALID = validFile();

    private static byte[] validFile() {
        try {
            Path dir = Files.createTempDirectory("gguf-fuzz");
            Path p = dir.resolve("valid.gguf");
            GgufTestFiles.writeSmall(p);
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
        CorruptionFuzz.truncations(VALID, SEED, 300, GgufFuzzTest::openExpectingOnlyEngineExceptions);
    }

    @Test
    void overwrittenBytesFailCleanly() throws IOException {
        CorruptionFuzz.overwrites(VALID, SEED + 1, 500, 4, GgufFuzzTest::openExpectingOnlyEngineExceptions);
    }

    private static void openExpectingOnlyEngineExceptions(byte[] bytes, String what) throws IOException {
        Path p = Files.createTempFile("fuzz", ".gguf");
        try {
            Files.write(p, bytes);
            try (GgufFile f = GgufFile.open(p)) {
                readEverything(f);
            } catch (EngineException expected) {
                if (expected.getMessage().contains("\n")) {
                    throw new AssertionError(what + ": multi-line message " + expected.getMessage());
                }
            } catch (Throwable t) {
                throw new AssertionError(what + ": escaped as " + t, t);
            }
        } finally {
            Files.deleteIfExists(p);
        }
    }

    private static void readEverything(GgufFile f) {
        f.metadata().values().forEach(GgufValue::toString);
        for (GgufTensorInfo t : f.tensors()) {
            var seg = f.tensorData(t);
            if (seg.byteSize() > 0) {
                seg.get(ValueLayout.JAVA_BYTE, seg.byteSize() - 1);
            }
        }
    }
}
