package io.jynamo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jynamo.engine.GgmlType;
import io.jynamo.testkit.ModelFamily;
import io.jynamo.testkit.TestAssets;
import io.jynamo.testkit.TestModelGenerator;
import io.jynamo.testkit.TestModelSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jynamo dev bench-serve} measures each concurrency, and the engine flags it shares refuse bad values. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BenchServeCommandTest {
    @TempDir
    static Path dir;
    static Path good;

    @BeforeAll
    static void makeModel() {
        good = new TestModelGenerator(TestAssets.locate()).writeGguf(TestModelSpec.tiny(ModelFamily.LLAMA3, 5),
                GgmlType.Q8_0, dir.resolve("tiny.gguf"));
    }

    private static String[] bench(String... more) {
        String[] base = {"dev", "bench-serve", "--model", good.toString(), "--streams", "1,3", "--prompt-tokens", "5",
            "--max-tokens", "6", "--threads", "1", "--warmup-ms", "0"};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void reportsEveryConcurrency() throws Exception {
        CliBadInputTest.Run r = CliBadInputTest.run(bench());
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length, r.out());
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < 2; i++) {
            JsonNode row = json.readTree(lines[i]);
            int streams = i == 0 ? 1 : 3;
            assertEquals(streams, row.get("streams").asInt());
            // The window opens once every stream has its second token: at most the rest are inside it.
            int inWindow = row.get("decode_tokens").asInt();
            assertTrue(inWindow >= 0 && inWindow <= streams * 4, lines[i]);
            assertTrue(row.get("wall_s").asDouble() > 0, lines[i]);
            double overhead = row.get("overhead").asDouble();
            assertTrue(overhead >= 0 && overhead < 1, lines[i]);
        }
    }

    @Test
    void badEngineFlags() {
        CliBadInputTest.assertError("--mem-fraction-static must be in (0, 1]", bench("--mem-fraction-static", "1.5"));
        CliBadInputTest.assertError("--kv-cache-blocks must be >= 0", bench("--kv-cache-blocks", "-2"));
        CliBadInputTest.assertError("--max-num-batched-tokens must be >= 1", bench("--max-num-batched-tokens", "0"));
        CliBadInputTest.assertError("weights", bench("--mem-fraction-static", "0.0000000001"));
        CliBadInputTest.assertError("each concurrency must be >= 1", bench("--streams", "0"));
    }

    @Test
    void anExplicitKvPoolTooSmallForARequestIsNamed() {
        CliBadInputTest.assertError("exceeds the KV cache", bench("--kv-cache-blocks", "1", "--kv-cache-block-size", "4"));
    }
}
