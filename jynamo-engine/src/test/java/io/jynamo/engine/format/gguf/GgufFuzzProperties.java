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
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Timeout;

/**
 * Damaged files never escape as anything but an EngineException: a valid small file (every value
 * type, several tensors) is cut short or has bytes overwritten at random, and opening it must
 * either succeed, with every value and tensor readable, or fail with an EngineException.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GgufFuzzProperties {
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

    @Property(tries = 300)
    void truncatedFilesFailCleanly(@ForAll @IntRange(min = 0, max = 1 << 20) int cut) throws IOException {
        int length = cut % (VALID.length + 1);
        openExpectingOnlyEngineExceptions(Arrays.copyOf(VALID, length), "truncated to " + length);
    }

    @Property(tries = 500)
    void overwrittenBytesFailCleanly(@ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 1 << 20) Integer> positions,
                                     @ForAll @Size(value = 4) List<Byte> values) throws IOException {
        byte[] b = VALID.clone();
        StringBuilder what = new StringBuilder("overwrote");
        for (int i = 0; i < positions.size(); i++) {
            int pos = positions.get(i) % b.length;
            b[pos] = values.get(i);
            what.append(' ').append(pos).append('=').append(values.get(i));
        }
        openExpectingOnlyEngineExceptions(b, what.toString());
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
