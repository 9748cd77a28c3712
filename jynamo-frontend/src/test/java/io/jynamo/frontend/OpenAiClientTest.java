package io.jynamo.frontend;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official openai npm client against the frontend. Needs node and the test deps
 * (scripts/setup-test-deps.sh puts them in .jynamo/deps; -Djyn.deps.dir overrides).
 */
@Timeout(60)
class OpenAiClientTest {
    static Path depsDir() {
        String given = System.getProperty("jyn.deps.dir", "");
        if (!given.isBlank()) {
            return Path.of(given);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(".jynamo/deps");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    @Test
    void officialClientSeesOpenAiBehaviour() throws Exception {
        Path deps = depsDir();
        Path openai = deps == null ? null : deps.resolve("node_modules/openai/index.mjs");
        Assumptions.assumeTrue(openai != null && Files.exists(openai), "openai npm package not installed");
        try (FrontendHarness h = new FrontendHarness()) {
            JsonNode out = FrontendHarness.json(runNode(openai, "http://127.0.0.1:" + h.port + "/v1"));
            String echoed = "user\nHello from node\nassistant\n";

            assertEquals(echoed, out.get("chat").get("content").asText());
            assertEquals("stop", out.get("chat").get("finish").asText());
            assertEquals("chat.completion", out.get("chat").get("object").asText());
            assertTrue(out.get("chat").get("usage").get("total_tokens").asInt() > 0);

            assertEquals(echoed, out.get("chatStream").get("content").asText());
            assertEquals("stop", out.get("chatStream").get("finish").asText());
            assertEquals(out.get("chat").get("usage"), out.get("chatStream").get("usage"));

            assertEquals(2, out.get("n2").size());
            for (int i = 0; i < 2; i++) {
                assertEquals(i, out.get("n2").get(i).get("index").asInt());
                assertEquals("use", out.get("n2").get(i).get("content").asText());  // BOS, <|im_start|>, u, s, e
                assertEquals("length", out.get("n2").get(i).get("finish").asText());
            }

            JsonNode lp = out.get("logprobs");
            assertEquals(4, lp.size());
            assertEquals("<s>", lp.get(0).get("token").asText());
            assertEquals("u", lp.get(2).get("token").asText());
            assertEquals(List.of(117), List.of(lp.get(2).get("bytes").get(0).asInt()));
            assertEquals(1, lp.get(2).get("top").asInt());

            assertEquals("user\nHello ", out.get("stop").get("content").asText());
            assertEquals("stop", out.get("stop").get("finish").asText());

            assertEquals("Once", out.get("completion").get("text").asText());
            assertEquals("length", out.get("completion").get("finish").asText());
            assertEquals("stream me", out.get("completionStream").asText());

            assertEquals(List.of("echo", "echo-plain"), List.of(out.get("models").get(0).asText(),
                    out.get("models").get(1).asText()));

            assertEquals(404, out.get("error").get("status").asInt());
            assertEquals("not_found_error", out.get("error").get("type").asText());
            assertFalse(out.get("error").get("requestId").asText().isBlank());
        }
    }

    private static String runNode(Path openai, String baseUrl) throws IOException, InterruptedException,
            URISyntaxException {
        Path script = Path.of(OpenAiClientTest.class.getResource("/openai-client/drive.mjs").toURI());
        ProcessBuilder pb = new ProcessBuilder("node", script.toString(), baseUrl).redirectErrorStream(false);
        pb.environment().put("OPENAI_MJS", openai.toString());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            Assumptions.abort("node is not installed: " + e.getMessage());
            throw e;
        }
        byte[] stdout = p.getInputStream().readAllBytes();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(50, TimeUnit.SECONDS), "node did not finish");
        assertEquals(0, p.exitValue(), "node failed: " + stderr);
        return new String(stdout, StandardCharsets.UTF_8);
    }
}
