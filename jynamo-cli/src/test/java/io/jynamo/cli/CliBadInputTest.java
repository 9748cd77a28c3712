package io.jynamo.cli;

import io.jynamo.engine.GgmlType;
import io.jynamo.testkit.ModelFamily;
import io.jynamo.testkit.TestAssets;
import io.jynamo.testkit.TestModelGenerator;
import io.jynamo.testkit.TestModelSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bad input to {@code jynamo generate} is one clear error line and a non-zero exit. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CliBadInputTest {
    @TempDir
    static Path dir;
    static Path good;
    static Path goodHf;

    record Run(int code, String out, String err) {}

    @BeforeAll
    static void makeModels() {
        TestModelGenerator gen = new TestModelGenerator(TestAssets.locate());
        TestModelSpec spec = TestModelSpec.tiny(ModelFamily.LLAMA2, 3);
        good = gen.writeGguf(spec, GgmlType.Q8_0, dir.resolve("good.gguf"));
        goodHf = gen.writeHuggingFace(spec, GgmlType.F16, dir.resolve("hf"), 0);
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Jynamo.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    static void assertError(String fragment, String... args) {
        assertError(new String[] {fragment}, args);
    }

    /** The error names one of {@code fragments}. */
    static void assertError(String[] fragments, String... args) {
        Run r = run(args);
        assertNotEquals(0, r.code(), "exit code");
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line, got:\n" + err);
        assertTrue(err.startsWith("jynamo: error: "), err);
        assertTrue(Arrays.stream(fragments).anyMatch(err::contains),
                "expected one of " + Arrays.toString(fragments) + " in: " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
        assertEquals("", r.out(), "nothing on standard output");
    }

    static String[] generate(Path model, String ids, String... more) {
        String[] base = {"generate", "--model", model.toString(), "--prompt-ids", ids, "--max-tokens", "4", "--threads", "1",
            "--warmup-ms", "0"};
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void goodModelGenerates() {
        Run r = run(generate(good, "1,2,3"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().strip().matches("\\d+(,\\d+){3}"), r.out());
        assertTrue(r.err().contains("stats: {"), r.err());
    }

    @Test
    void missingFile() {
        assertError("model not found", generate(dir.resolve("nope.gguf"), "1"));
    }

    @Test
    void directoryWithoutConfig() throws IOException {
        assertError("no config.json", generate(Files.createDirectories(dir.resolve("empty")), "1"));
    }

    @Test
    void badMagic() throws IOException {
        Path f = dir.resolve("magic.gguf");
        Files.write(f, "NOPE this is not a model file at all, but long enough".getBytes(StandardCharsets.UTF_8));
        assertError("not a GGUF file", generate(f, "1"));
    }

    @Test
    void wrongVersion() throws IOException {
        Path f = dir.resolve("v1.gguf");
        byte[] bytes = Files.readAllBytes(good);
        bytes[4] = 1;
        Files.write(f, bytes);
        assertError("unsupported GGUF version 1", generate(f, "1"));
    }

    @Test
    void truncatedFile() throws IOException {
        byte[] bytes = Files.readAllBytes(good);
        for (int cut : new int[] {10, 200, bytes.length / 2, bytes.length - 1}) {
            Path f = dir.resolve("cut" + cut + ".gguf");
            Files.write(f, Arrays.copyOf(bytes, cut));
            // Cut inside the header, the counts cannot fit; cut in the data, a tensor runs past the end.
            assertError(new String[] {"truncated", "cannot fit"}, generate(f, "1"));
        }
    }

    @Test
    void unsupportedWeightTypeIsNamed() throws IOException {
        Path f = dir.resolve("q5.gguf");
        Files.write(f, MiniGguf.oneTensor("llama", 6 /* Q5_0 */));
        assertError("Q5_0", generate(f, "1"));
    }

    @Test
    void unsupportedArchitectureIsNamed() throws IOException {
        Path f = dir.resolve("falcon.gguf");
        Files.write(f, MiniGguf.oneTensor("falcon", 0));
        assertError("unsupported architecture 'falcon'", generate(f, "1"));
    }

    @Test
    void shapesThatDisagreeWithTheConfig() throws IOException {
        Path bad = Files.createDirectories(dir.resolve("hf-bad"));
        for (Path p : Files.list(goodHf).toList()) {
            Files.copy(p, bad.resolve(p.getFileName()));
        }
        Path cfg = bad.resolve("config.json");
        Files.writeString(cfg, Files.readString(cfg).replace("\"intermediate_size\" : 512", "\"intermediate_size\" : 768"));
        assertError("but the model configuration needs", generate(bad, "1"));
    }

    @Test
    void tokenIdOutOfRange() {
        assertError("token id 32000 is out of range", generate(good, "1,32000"));
        assertError("token id -1 is out of range", generate(good, "1,-1"));
    }

    @Test
    void kvCacheBudget() {
        Run ok = run(generate(good, "1,2,3", "--kv-cache-memory-mb", "1"));
        assertEquals(0, ok.code(), ok.err());
        assertError("--kv-cache-memory-mb must be >= 0", generate(good, "1", "--kv-cache-memory-mb", "-1"));
    }

    @Test
    void notATokenId() {
        assertError("'x' is not a token id", generate(good, "1,x"));
    }

    @Test
    void promptLongerThanTheContext() {
        assertError("exceeds the context length", generate(good, "1,2,3,4,5,6", "--context-length", "4"));
    }

    /** Builds a minimal GGUF by hand, with values our writer refuses to produce. */
    static final class MiniGguf {
        static byte[] oneTensor(String arch, int typeId) {
            ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
            b.put("GGUF".getBytes(StandardCharsets.US_ASCII)).putInt(3).putLong(1).putLong(1);
            string(b, "general.architecture");
            b.putInt(8);
            string(b, arch);
            string(b, "token_embd.weight");
            b.putInt(2).putLong(32).putLong(4).putInt(typeId).putLong(0);
            while (b.position() % 32 != 0) {
                b.put((byte) 0);
            }
            b.put(new byte[4096 - b.position()]);
            return b.array();
        }

        private static void string(ByteBuffer b, String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            b.putLong(bytes.length).put(bytes);
        }
    }
}
