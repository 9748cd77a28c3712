package io.jynamo.cli;

import io.jynamo.engine.GgmlType;
import io.jynamo.testkit.ModelFamily;
import io.jynamo.testkit.TestAssets;
import io.jynamo.testkit.TestModelGenerator;
import io.jynamo.testkit.TestModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code jynamo run} prints on a pipe, started as the launcher starts it: the JVM flags that
 * resolve jdk.incubator.vector (so the JVM prints its incubator WARNING) and standard error through
 * {@code scripts/lib/quiet-stderr}. A user sees our lines only: no WARNING, no INFO, no carriage
 * returns of a progress bar, and the engine's start-up line in plain words.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TerminalOutputTest {
    private static final Pattern SERVING = Pattern.compile("serving '[^']+' at (http://\\S+/v1)");

    @TempDir
    static Path dir;

    @Test
    void runOnAPipePrintsNoWarningOrInfoLines() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        Path filter = root.resolve("scripts/lib/quiet-stderr");
        assertTrue(Files.isExecutable(filter), filter + " is missing or not executable");
        Path model = new TestModelGenerator(TestAssets.locate()).writeGguf(TestModelSpec.tiny(ModelFamily.LLAMA3, 5),
                GgmlType.Q8_0, dir.resolve("tiny.gguf"));
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-Xmx512m", "-Djyn.stderr.tty=false",
                "-cp", System.getProperty("java.class.path"), Jynamo.class.getName(),
                "run", "in=http", "out=" + model, "--served-model-name", "tiny", "--http-host", "127.0.0.1",
                "--http-port", "0", "--threads", "1", "--warmup-ms", "0"));
        // as the launcher does: exec java … 2> >(exec scripts/lib/quiet-stderr)
        String script = "exec \"$@\" 2> >(exec " + quote(filter.toString()) + ")";
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", script, "jynamo"));
        cmd.addAll(java);
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        StringBuffer err = new StringBuffer();
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    err.append(line).append('\n');
                    Matcher m = SERVING.matcher(line);
                    if (m.find()) {
                        url.complete(m.group(1));
                    }
                }
            } catch (IOException e) {
                // the end of the output; checked below
            }
            url.completeExceptionally(new AssertionError("exited before serving:\n" + err));
        });
        try {
            String base = url.get(120, TimeUnit.SECONDS);
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"tiny\",\"prompt\":\"hi\",\"max_tokens\":2}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
        } finally {
            p.destroy();  // SIGTERM to the JVM (bash exec'd it); the filter ends when the JVM's stderr closes
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "did not stop:\n" + err);
            reader.join(TimeUnit.SECONDS.toMillis(30));
        }
        String out = err.toString();
        for (String line : out.lines().toList()) {
            assertFalse(line.contains("WARNING") || line.contains("INFO") || line.contains("TcpMetrics"),
                    "a WARNING/INFO line on the terminal: " + line + "\n" + out);
        }
        assertFalse(out.contains("\r") || out.contains("\033"), "terminal controls on a pipe:\n" + out);
        assertTrue(out.contains("loaded tiny.gguf"), out);
        assertTrue(out.contains("engine: 1 thread, "), out);
        assertTrue(Pattern.compile("KV pool \\d+ blocks of 16 tokens \\(\\d+ MiB, [^)]+\\), committed as it fills")
                .matcher(out).find(), out);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
