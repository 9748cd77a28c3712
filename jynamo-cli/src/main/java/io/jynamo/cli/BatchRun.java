package io.jynamo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jynamo.api.JynamoException;
import io.jynamo.api.request.SamplingOptions;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * {@code jynamo run in=batch[:FILE]}: one JSON object per input line (of FILE, or of standard input), all served concurrently (the
 * engine batches them); one JSON result per line, in input order, with timings. An input line is
 * {@code {"text": "…"}} (a user message, through the chat template), {@code {"messages": [...]}} or
 * {@code {"prompt": "…"}} (raw completion), each with an optional {@code max_tokens}.
 */
final class BatchRun {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Serving serving;
    private final SamplingOptions sampling;
    private final int maxTokens;
    private final int inFlight;

    /**
     * @param inFlight requests submitted at once: what the engine runs plus what it queues, so a large file
     *                 never meets a full queue
     */
    BatchRun(Serving serving, SamplingOptions sampling, int maxTokens, int inFlight) {
        this.serving = serving;
        this.sampling = sampling;
        this.maxTokens = maxTokens;
        this.inFlight = inFlight;
    }

    /** Serves every line of {@code lines} (read before the model was loaded) and writes the results. */
    int run(List<String> lines, Path output, PrintWriter stdout, PrintWriter err) throws IOException, InterruptedException {
        ObjectNode[] results = new ObjectNode[lines.size()];
        // Keep no more in flight than the engine runs and queues.
        Semaphore room = new Semaphore(inFlight);
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < lines.size(); i++) {
            int index = i;
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            room.acquire();
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    results[index] = one(index, line);
                } finally {
                    room.release();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long tokens = 0;
        int failed = 0;
        try (Writer w = output == null ? stdout : Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            for (ObjectNode r : results) {
                if (r == null) {
                    continue;
                }
                tokens += r.path("completion_tokens").asLong();
                failed += r.has("error") ? 1 : 0;
                w.write(JSON.writeValueAsString(r));
                w.write('\n');
            }
            w.flush();
        }
        err.printf(Locale.ROOT, "batch: %d requests (%d failed), %d tokens generated in %.2f s (%.1f tokens/s)%n",
                threads.size(), failed, tokens, seconds, tokens / Math.max(seconds, 1e-9));
        err.flush();
        return failed == 0 ? 0 : 1;
    }

    private ObjectNode one(int index, String line) {
        ObjectNode r = JSON.createObjectNode().put("index", index);
        try {
            JsonNode req = JSON.readTree(line);
            int[] prompt;
            if (req.hasNonNull("text")) {
                prompt = serving.chatPrompt(List.of(Map.of("role", "user", "content", req.get("text").asText())));
            } else if (req.has("messages") && req.get("messages").isArray()) {
                prompt = serving.chatPrompt(JSON.convertValue(req.get("messages"),
                        new com.fasterxml.jackson.core.type.TypeReference<List<Map<String, Object>>>() {}));
            } else if (req.hasNonNull("prompt")) {
                prompt = serving.completionPrompt(req.get("prompt").asText());
            } else {
                return r.put("error", "line " + (index + 1) + ": expected a \"text\", \"messages\" or \"prompt\" field");
            }
            int max = req.path("max_tokens").asInt(maxTokens);
            if (max < 1) {
                return r.put("error", "line " + (index + 1) + ": max_tokens must be at least 1");
            }
            Serving.Result res = serving.generate(prompt, sampling, max, delta -> { });
            r.put("text", res.text()).put("finish_reason", res.finishReason())
                    .put("prompt_tokens", res.promptTokens()).put("completion_tokens", res.completionTokens())
                    .put("ttft_ms", res.ttftNanos() / 1e6).put("duration_ms", res.totalNanos() / 1e6);
            if (res.error() != null) {
                r.put("error", res.error());
            }
            return r;
        } catch (IOException e) {
            return r.put("error", "line " + (index + 1) + " is not JSON: " + e.getMessage());
        } catch (JynamoException e) {
            return r.put("error", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return r.put("error", "interrupted");
        }
    }
}
