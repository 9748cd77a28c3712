package io.jynamo.engine.format.safetensors;

import io.jynamo.engine.EngineException;
import io.jynamo.engine.tensor.GgmlType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
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

/** A damaged safetensors file opens and reads fine or fails with an EngineException, never anything else. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SafetensorsFuzzProperties {
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

    @Property(tries = 200)
    void truncatedFilesFailCleanly(@ForAll @IntRange(min = 0, max = 1 << 20) int cut) throws IOException {
        int length = cut % (VALID.length + 1);
        check(Arrays.copyOf(VALID, length), "truncated to " + length);
    }

    @Property(tries = 400)
    void overwrittenBytesFailCleanly(@ForAll @Size(min = 1, max = 3) List<@IntRange(min = 0, max = 1 << 20) Integer> positions,
                                     @ForAll @Size(value = 3) List<Byte> values) throws IOException {
        byte[] b = VALID.clone();
        StringBuilder what = new StringBuilder("overwrote");
        for (int i = 0; i < positions.size(); i++) {
            int pos = positions.get(i) % b.length;
            b[pos] = values.get(i);
            what.append(' ').append(pos).append('=').append(values.get(i));
        }
        check(b, what.toString());
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
