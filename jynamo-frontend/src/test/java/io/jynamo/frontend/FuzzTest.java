package io.jynamo.frontend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.jynamo.frontend.FrontendHarness.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Mutated valid bodies: each is answered 200 (still valid) or 4xx with an OpenAI error body, never
 * 5xx or a dropped connection, and the server stays up. Set -Djyn.fuzz.seed to replay a failure.
 */
@Timeout(90)
class FuzzTest {
    private static final int CASES = 1600;
    private static final String[] VALID = {
        "{\"model\":\"echo\",\"messages\":[{\"role\":\"system\",\"content\":\"be nice\"},{\"role\":\"user\","
                + "\"content\":\"héllo\"}],\"max_tokens\":8,\"temperature\":0.5,\"stop\":[\"l\"],\"n\":2}",
        "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}],"
                + "\"stream\":true,\"stream_options\":{\"include_usage\":true},\"logprobs\":true,\"top_logprobs\":1}",
        "{\"model\":\"echo\",\"prompt\":\"Once upon a time\",\"max_tokens\":5,\"logprobs\":2,\"seed\":7,"
                + "\"top_p\":0.9,\"top_k\":5,\"stop\":\"time\"}",
        "{\"model\":\"echo\",\"prompt\":[[1,2,3],[65,66]],\"stream\":true,\"n\":1,\"min_tokens\":1,"
                + "\"presence_penalty\":0.1,\"frequency_penalty\":0.2,\"repetition_penalty\":1.1,\"ignore_eos\":false}",
    };
    private static final String[] PATHS = {"/v1/chat/completions", "/v1/chat/completions", "/v1/completions",
        "/v1/completions"};

    @Test
    void mutatedBodiesGetOpenAiAnswersAndTheServerStaysUp() throws Exception {
        long seed = Long.getLong("jyn.fuzz.seed", System.nanoTime());
        try (FrontendHarness h = new FrontendHarness(0, FrontendConfig.defaults().withHost("127.0.0.1")
                .withEventLoops(2).withMaxBodyBytes(16 * 1024));
             ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<String>> results = new ArrayList<>();
            for (int worker = 0; worker < 8; worker++) {
                long workerSeed = seed + worker;
                results.add(pool.submit(() -> run(h, new Random(workerSeed), CASES / 8)));
            }
            List<String> failures = new ArrayList<>();
            for (Future<String> f : results) {
                String failure = f.get();
                if (failure != null) {
                    failures.add(failure);
                }
            }
            if (!failures.isEmpty()) {
                fail("fuzz seed " + seed + " (rerun with -Djyn.fuzz.seed=" + seed + "):\n" + String.join("\n", failures));
            }
            assertEquals(CASES, OK.get() + REFUSED.get());
            // both kinds of answer must be exercised, or the mutations are too mild or too wild
            org.junit.jupiter.api.Assertions.assertTrue(OK.get() > CASES / 10 && REFUSED.get() > CASES / 10,
                    "200s: " + OK.get() + ", 4xx: " + REFUSED.get() + ", seed " + seed);
            assertEquals(200, h.get("/health").statusCode(), "seed " + seed);
            assertEquals(200, h.post("/v1/completions", VALID[2]).statusCode(), "seed " + seed);
        }
    }

    private static final java.util.concurrent.atomic.AtomicInteger OK = new java.util.concurrent.atomic.AtomicInteger();
    private static final java.util.concurrent.atomic.AtomicInteger REFUSED = new java.util.concurrent.atomic.AtomicInteger();

    private static String run(FrontendHarness h, Random random, int cases) {
        for (int i = 0; i < cases; i++) {
            int which = random.nextInt(VALID.length);
            byte[] body = mutate(VALID[which].getBytes(StandardCharsets.UTF_8), random);
            try {
                HttpResponse<String> r = h.post(PATHS[which], body);
                int status = r.statusCode();
                if (status == 200) {
                    OK.incrementAndGet();
                    continue;
                }
                if (status < 400 || status >= 500) {
                    return "status " + status + " for " + printable(body) + " -> " + r.body();
                }
                JsonNode error = JSON.readTree(r.body()).get("error");
                if (error == null || !error.path("message").isTextual() || !error.path("type").isTextual()) {
                    return "no OpenAI error body for " + printable(body) + " -> " + r.body();
                }
                REFUSED.incrementAndGet();
            } catch (Exception e) {
                return e + " for " + printable(body);
            }
        }
        return null;
    }

    private static byte[] mutate(byte[] valid, Random random) {
        int rounds = 1 + random.nextInt(3);
        byte[] b = valid;
        for (int r = 0; r < rounds; r++) {
            b = random.nextBoolean() ? mutateJson(b, random) : mutateBytes(b, random);
        }
        return b;
    }

    private static byte[] mutateBytes(byte[] b, Random random) {
        if (b.length == 0) {
            return new byte[]{'{'};
        }
        int at = random.nextInt(b.length);
        return switch (random.nextInt(5)) {
            case 0 -> { // flip a byte
                byte[] c = b.clone();
                c[at] = (byte) random.nextInt(256);
                yield c;
            }
            case 1 -> { // delete a range
                int len = Math.min(b.length - at, 1 + random.nextInt(8));
                byte[] c = new byte[b.length - len];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(b, at + len, c, at, b.length - at - len);
                yield c;
            }
            case 2 -> { // insert a byte
                byte[] c = new byte[b.length + 1];
                System.arraycopy(b, 0, c, 0, at);
                String interesting = "{}[]\",:0-9e.\\\u0080";
                c[at] = (byte) interesting.charAt(random.nextInt(interesting.length()));
                System.arraycopy(b, at, c, at + 1, b.length - at);
                yield c;
            }
            case 3 -> Arrays.copyOf(b, at); // truncate
            default -> { // duplicate a range
                int len = Math.min(b.length - at, 1 + random.nextInt(16));
                byte[] c = new byte[b.length + len];
                System.arraycopy(b, 0, c, 0, at + len);
                System.arraycopy(b, at, c, at + len, b.length - at);
                yield c;
            }
        };
    }

    private static byte[] mutateJson(byte[] b, Random random) {
        JsonNode root;
        try {
            root = JSON.readTree(b);
        } catch (Exception e) {
            return mutateBytes(b, random);
        }
        if (root == null || !root.isContainerNode()) {
            return mutateBytes(b, random);
        }
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        JsonNode target = containers.get(random.nextInt(containers.size()));
        JsonNode value = randomValue(random);
        if (target instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            int op = random.nextInt(3);
            if (op == 0 || names.isEmpty()) {
                o.set(random.nextBoolean() ? "extra_" + random.nextInt(10) : pick(names, random, "model"), value);
            } else if (op == 1) {
                o.remove(pick(names, random, "model"));
            } else {
                o.set(pick(names, random, "model"), value);
            }
        } else if (target instanceof ArrayNode a) {
            if (a.isEmpty() || random.nextBoolean()) {
                a.add(value);
            } else if (random.nextBoolean()) {
                a.remove(random.nextInt(a.size()));
            } else {
                a.set(random.nextInt(a.size()), value);
            }
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void collect(JsonNode node, List<JsonNode> out) {
        if (node.isContainerNode()) {
            out.add(node);
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                collect(it.next(), out);
            }
        }
    }

    private static String pick(List<String> names, Random random, String otherwise) {
        return names.isEmpty() ? otherwise : names.get(random.nextInt(names.size()));
    }

    private static JsonNode randomValue(Random random) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (random.nextInt(14)) {
            case 0 -> f.nullNode();
            case 1 -> f.booleanNode(random.nextBoolean());
            case 2 -> f.numberNode(random.nextInt(10) - 3);
            case 3 -> f.numberNode(random.nextInt());
            case 4 -> f.numberNode(random.nextDouble() * 4 - 1);
            case 5 -> f.numberNode(1e300);
            case 6 -> f.numberNode(Long.MAX_VALUE);
            case 7 -> f.textNode("");
            case 8 -> f.textNode("user");
            case 9 -> f.textNode("echo");
            case 10 -> f.textNode("\uD800 \u0000 ü 🎉");
            case 11 -> f.arrayNode().add(random.nextInt(300)).add("x");
            case 12 -> f.objectNode().put("role", "assistant").put("content", "x");
            default -> f.objectNode().put("type", "text").put("text", "y");
        };
    }

    private static String printable(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        return s.length() > 400 ? s.substring(0, 400) + "…" : s;
    }
}
