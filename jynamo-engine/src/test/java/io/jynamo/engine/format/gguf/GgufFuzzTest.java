package io.jynamo.engine.format.gguf;

import io.jynamo.engine.EngineException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.SplittableRandom;
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
        SplittableRandom rnd = new SplittableRandom(SEED);
        for (int i = 0; i < 300; i++) {
            int length = i < 64 ? i : rnd.nextInt(VALID.length + 1);
            openExpectingOnlyEngineExceptions(Arrays.copyOf(VALID, length), "seed " + SEED + ": truncated to " + length);
        }
    }

    @Test
    void overwrittenBytesFailCleanly() throws IOException {
        SplittableRandom rnd = new SplittableRandom(SEED + 1);
        for (int i = 0; i < 500; i++) {
            byte[] b = VALID.clone();
            StringBuilder what = new StringBuilder("seed " + (SEED + 1) + ", case " + i + ": overwrote");
            int count = 1 + rnd.nextInt(4);
            for (int j = 0; j < count; j++) {
                int pos = rnd.nextInt(b.length);
                byte value = (byte) rnd.nextInt(256);
                b[pos] = value;
                what.append(' ').append(pos).append('=').append(value);
            }
            openExpectingOnlyEngineExceptions(b, what.toString());
        }
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
