package io.jynamo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jynamo.engine.GgmlType;
import io.jynamo.testkit.ModelFamily;
import io.jynamo.testkit.TestAssets;
import io.jynamo.testkit.TestModelGenerator;
import io.jynamo.testkit.TestModelSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
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
 * {@code jynamo run} as a user runs it: a separate process serving a generated Llama 3 model (real
 * tokenizer and chat template), driven by curl with the reference deployment's body and by the
 * official openai npm client; the text and batch inputs on the same model.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RunCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SERVING = Pattern.compile("serving '([^']+)' at (http://\\S+/v1)");

    @TempDir
    static Path dir;
    static Path model;
    static Process server;
    static String baseUrl;
    static final StringBuffer serverErr = new StringBuffer();

    @BeforeAll
    static void serve() throws Exception {
        TestModelSpec spec = TestModelSpec.tiny(ModelFamily.LLAMA3, 11);
        model = new TestModelGenerator(TestAssets.locate()).writeGguf(spec, GgmlType.Q8_0, dir.resolve("tiny.gguf"));
        server = start("run", "in=http", "out=" + model, "--served-model-name", "tiny", "--http-host", "127.0.0.1",
                "--http-port", "0", "--threads", "1", "--warmup-ms", "0");
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    serverErr.append(line).append('\n');
                    Matcher m = SERVING.matcher(line);
                    if (m.find()) {
                        url.complete(m.group(2));
                    }
                }
            } catch (IOException e) {
                // the server went away; the test sees it below
            }
            url.completeExceptionally(new AssertionError("the server exited before serving:\n" + serverErr));
        });
        baseUrl = url.get(120, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.destroy();  // SIGTERM: the shutdown hook closes the frontend
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server did not stop on SIGTERM");
        }
    }

    static Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                Jynamo.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JYN_KV_CACHE_BLOCKS", "256");
        return pb.start();
    }

    static String run(List<String> cmd, String stdin) throws IOException, InterruptedException {
        return runBoth(cmd, stdin)[0];
    }

    /** Runs a command to its end; standard output and standard error. */
    static String[] runBoth(List<String> cmd, String stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        if (stdin != null) {
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "did not finish: " + cmd);
        assertEquals(0, p.exitValue(), cmd + " failed: " + err.join());
        return new String[] {out, err.join()};
    }

    @Test
    void healthListsTheEmbeddedWorkerFoundInDiscoveryOnTheInProcessPlane() throws Exception {
        JsonNode h = JSON.readTree(run(List.of("curl", "-sS", "--fail-with-body",
                baseUrl.replace("/v1", "") + "/health"), null));
        assertEquals("healthy", h.get("status").asText(), h.toString());
        JsonNode instance = h.get("instances").get(0);
        assertEquals("tiny", instance.get("model").asText(), h.toString());
        assertEquals("dynamo/backend/generate", instance.get("endpoint").asText(), h.toString());
        assertEquals("in-process", instance.get("transport").asText(), h.toString());
    }

    @Test
    void theReferenceCurlGetsAChatCompletion() throws Exception {
        String body = "{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello, who are you?\"}],"
                + "\"stream\":false,\"max_tokens\":30}";
        String out = run(List.of("curl", "-sS", "--fail-with-body", baseUrl + "/chat/completions",
                "-H", "Content-Type: application/json", "-d", body), null);
        JsonNode r = JSON.readTree(out);
        assertEquals("chat.completion", r.get("object").asText(), out);
        assertEquals("tiny", r.get("model").asText());
        JsonNode choice = r.get("choices").get(0);
        assertEquals("assistant", choice.get("message").get("role").asText());
        assertTrue(choice.get("message").get("content").isTextual());
        assertTrue(List.of("stop", "length").contains(choice.get("finish_reason").asText()), out);
        int completion = r.get("usage").get("completion_tokens").asInt();
        assertTrue(completion >= 1 && completion <= 30, out);
        assertEquals(r.get("usage").get("prompt_tokens").asInt() + completion, r.get("usage").get("total_tokens").asInt());
    }

    @Test
    void theOfficialOpenAiClientWorksUnchanged() throws Exception {
        Path openai = TestAssets.locate().depsDir().resolve("node_modules/openai/index.mjs");
        assertTrue(Files.exists(openai), "the openai npm package is missing: run scripts/setup-test-deps.sh");
        Path script = Path.of(RunCommandTest.class.getResource("/openai-run.mjs").toURI());
        List<String> cmd = List.of("env", "OPENAI_MJS=" + openai, "node", script.toString(), baseUrl, "tiny");
        JsonNode out = JSON.readTree(run(cmd, null));

        JsonNode chat = out.get("chat");
        assertEquals("chat.completion", chat.get("object").asText());
        assertEquals("assistant", chat.get("role").asText());
        // Greedy: the streamed answer is the same text, token for token, with the same usage.
        assertEquals(chat.get("content").asText(), out.get("chatStream").get("content").asText());
        assertEquals(chat.get("finish").asText(), out.get("chatStream").get("finish").asText());
        assertEquals(chat.get("usage"), out.get("chatStream").get("usage"));

        assertEquals(2, out.get("n2").size());
        assertEquals(1, out.get("n2").get(1).get("index").asInt());

        JsonNode lp = out.get("logprobs");
        assertEquals(lp.get("tokens").asInt(), lp.get("count").asInt());
        assertEquals(3, lp.get("top").asInt());
        assertTrue(lp.get("first").asDouble() <= 0);

        assertTrue(out.has("stop"), "no stop string could be taken from the answer: " + chat);
        JsonNode stop = out.get("stop");
        assertEquals(stop.get("expected").asText(), stop.get("content").asText(), stop.toString());
        assertEquals("stop", stop.get("finish").asText());
        assertEquals("text_completion", out.get("completion").get("object").asText());
        assertEquals(List.of("tiny"), List.of(out.get("models").get(0).asText()));
        assertEquals(400, out.get("error").get("status").asInt(), out.get("error").toString());
    }

    private static List<String> cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
                Jynamo.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void batchInputGivesOneResultPerLineInOrder() throws Exception {
        Path in = dir.resolve("prompts.jsonl");
        Files.writeString(in, """
                {"text": "Hello"}
                {"messages": [{"role": "user", "content": "Hi"}], "max_tokens": 3}
                {"prompt": "Once upon a time", "max_tokens": 4}
                """);
        Path outFile = dir.resolve("results.jsonl");
        run(cli("run", "in=batch:" + in, "out=" + model, "--output", outFile.toString(), "--max-tokens", "5",
                "--threads", "1", "--warmup-ms", "0", "--kv-cache-blocks", "64"), null);
        List<String> lines = Files.readAllLines(outFile);
        assertEquals(3, lines.size(), String.join("\n", lines));
        int[] maxTokens = {5, 3, 4};
        for (int i = 0; i < 3; i++) {
            JsonNode r = JSON.readTree(lines.get(i));
            assertEquals(i, r.get("index").asInt());
            assertFalse(r.has("error"), lines.get(i));
            assertTrue(r.get("completion_tokens").asInt() <= maxTokens[i], lines.get(i));
            assertTrue(r.get("duration_ms").asDouble() >= r.get("ttft_ms").asDouble(), lines.get(i));
        }
    }

    @Test
    void textInputChatsUntilExit() throws Exception {
        String[] r = runBoth(cli("run", "in=text", "out=" + model, "--max-tokens", "4", "--threads", "1", "--warmup-ms",
                "0", "--kv-cache-blocks", "64", "--temperature", "0"), "Hello there\n/reset\nAgain\n/exit\n");
        // One answer per message (its text is noise), each followed by its stats line.
        assertEquals(2, Pattern.compile("\\[\\d+ tokens, (stop|length)").matcher(r[1]).results().count(), r[1]);
        assertFalse(r[0].isBlank());
    }

    @Test
    void badInvocationsAreOneErrorLine() {
        CliBadInputTest.assertError("say what to serve", "run", "in=http");
        CliBadInputTest.assertError("model not found", "run", "out=" + dir.resolve("missing.gguf"));
        CliBadInputTest.assertError("in must be http, text or batch[:FILE]", "run", "in=carrier-pigeon", "out=echo",
                "--model", model.toString());
        CliBadInputTest.assertError("out=echo takes its tokenizer", "run", "out=echo");
        CliBadInputTest.assertError("model not found: model.gguf", "run", "model.gguf");
        CliBadInputTest.assertError("expected in=…, out=… or a model path", "run", "inn=text", model.toString());
    }

    @Test
    void ctrlCInTextStopsTheAnswerAndTwiceAtThePromptLeaves() throws Exception {
        Path script = Path.of(RunCommandTest.class.getResource("/ctrl-c-chat.py").toURI());
        List<String> cmd = new ArrayList<>(List.of("python3", script.toString()));
        cmd.addAll(cli("run", "in=text", "out=echo", "--model", model.toString(), "--echo-delay-ms", "100"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<String> transcript = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        assertTrue(p.waitFor(200, TimeUnit.SECONDS), "the pseudo-terminal driver did not finish");
        assertEquals(0, p.exitValue(), transcript.join());
    }

    @Test
    void serveWithAnApiKeyRefusesRequestsWithoutIt() throws Exception {
        List<String> cmd = cli("serve", model.toString(), "--served-model-name", "keyed", "--host", "127.0.0.1",
                "--port", "0", "--threads", "1", "--warmup-ms", "0", "--kv-cache-blocks", "64");
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JYN_API_KEY", "sk-secret");
        Process keyed = pb.start();
        try {
            String url = awaitServing(keyed);
            String body = "{\"model\":\"keyed\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
                    + "\"max_tokens\":3}";
            List<String> post = List.of("curl", "-sS", "-w", "\n%{http_code}", url + "/chat/completions", "-d", body);
            String[] without = run(post, null).strip().split("\n");
            assertEquals("401", without[without.length - 1], String.join("\n", without));
            JsonNode error = JSON.readTree(without[0]).get("error");
            assertEquals("invalid_api_key", error.get("code").asText(), without[0]);
            assertEquals("invalid_request_error", error.get("type").asText(), without[0]);
            List<String> withKey = new ArrayList<>(post);
            withKey.addAll(List.of("-H", "Authorization: Bearer sk-secret"));
            String[] with = run(withKey, null).strip().split("\n");
            assertEquals("200", with[with.length - 1], String.join("\n", with));
            assertEquals("chat.completion", JSON.readTree(with[0]).get("object").asText());
            String health = run(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                    url.replace("/v1", "") + "/health"), null);
            assertEquals("200", health.strip());
        } finally {
            keyed.destroy();
            assertTrue(keyed.waitFor(30, TimeUnit.SECONDS), "the keyed server did not stop on SIGTERM");
        }
    }

    @Test
    void batchReadsStandardInputAndAChatTemplateOverridesTheModels() throws Exception {
        Path template = dir.resolve("custom.jinja");
        Files.writeString(template, "{% for m in messages %}[CUSTOM {{ m['role'] }}] {{ m['content'] }}{% endfor %}");
        String out = run(cli("run", "in=batch", "out=echo", "--model", model.toString(), "--chat-template",
                template.toString()), "{\"text\": \"Hello\"}\n");
        JsonNode r = JSON.readTree(out.strip());
        // The echo engine answers with the prompt: the one the override rendered.
        assertEquals("[CUSTOM user] Hello", r.get("text").asText(), out);
    }

    /** The URL a starting server prints once it serves; its error stream is drained from then on. */
    private static String awaitServing(Process p) throws Exception {
        CompletableFuture<String> url = new CompletableFuture<>();
        StringBuffer log = new StringBuffer();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    log.append(line).append('\n');
                    Matcher m = SERVING.matcher(line);
                    if (m.find()) {
                        url.complete(m.group(2));
                    }
                }
            } catch (IOException e) {
                // gone; seen below
            }
            url.completeExceptionally(new AssertionError("the server exited before serving:\n" + log));
        });
        return url.get(120, TimeUnit.SECONDS);
    }
}
