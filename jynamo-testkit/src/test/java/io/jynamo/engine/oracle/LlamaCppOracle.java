package io.jynamo.engine.oracle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jynamo.testkit.TestAssets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * llama.cpp as the reference: runs scripts/oracle/llama-oracle.mjs (node-llama-cpp's prebuilt CPU
 * binary) on a GGUF file and reads its greedy tokens, logit gaps and last-prompt-position logits.
 */
public final class LlamaCppOracle {
    /** What llama.cpp produced. */
    public record Answer(int[] tokens, float[] gaps, float[] promptLogits, boolean logProbs) {
        /** Steps before the first near-tie (top-2 gap below {@code minGap}): there both must agree. */
        public int decisiveSteps(float minGap) {
            for (int i = 0; i < gaps.length; i++) {
                if (gaps[i] < minGap) {
                    return i;
                }
            }
            return gaps.length;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private LlamaCppOracle() {}

    public static Answer run(Path model, int[] prompt, int maxTokens, int threads) throws IOException, InterruptedException {
        TestAssets assets = TestAssets.locate();
        Path root = assets.depsDir().getParent().getParent();
        Path script = root.resolve("scripts/oracle/llama-oracle.mjs");
        List<String> cmd = new ArrayList<>(List.of("node", script.toString(), "--model", model.toString(),
                "--prompt-ids", join(prompt), "--max-tokens", String.valueOf(maxTokens),
                "--threads", String.valueOf(threads)));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JYN_DEPS_DIR", assets.depsDir().toString());
        Path errFile = Files.createTempFile("oracle", ".err");
        pb.redirectError(errFile.toFile());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("llama.cpp oracle timed out on " + model);
        }
        String err = Files.readString(errFile);
        Files.deleteIfExists(errFile);
        if (p.exitValue() != 0) {
            throw new IOException("llama.cpp oracle failed (exit " + p.exitValue() + ") on " + model + ":\n" + err);
        }
        JsonNode n = JSON.readTree(new String(out, StandardCharsets.UTF_8));
        return new Answer(ints(n.get("tokens")), floats(n.get("gaps")), floats(n.get("promptLogits")),
                "logprobs".equals(n.path("logitsKind").asText("logits")));
    }

    private static int[] ints(JsonNode a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).asInt();
        }
        return r;
    }

    private static float[] floats(JsonNode a) {
        float[] r = new float[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) a.get(i).asDouble();
        }
        return r;
    }

    private static String join(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(id);
        }
        return sb.toString();
    }
}
