package io.jynamo.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.spi.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code jynamo} launcher in a copy of the tree with a stand-in Maven wrapper (JYN_MVNW) that counts
 * its builds, holds each until the test lets it go, and "builds" by putting ready jars in place: two
 * commands started together run one build and both run; build outputs and generated sources newer than
 * the jar start no build; a changed main source does. Nothing depends on timing: the held build is let
 * go only once one launcher builds and the other says it waits.
 */
class LauncherTest {
    private static final String JAR = "jynamo-cli/target/jynamo-cli-0.1.0-SNAPSHOT.jar";

    @Test
    @Timeout(300)
    void concurrentLaunchesRunOneBuildAndOnlySourceChangesRebuild(@TempDir Path tmp) throws Exception {
        try {
            check(tmp);
        } finally {
            unlinkJars(tmp.resolve("built/lib"));
        }
    }

    private static void check(Path tmp) throws Exception {
        ScriptTree tree = new ScriptTree(tmp.resolve("tree"), List.of("jynamo", "scripts/lib/java.sh"));
        Path source = tree.root.resolve("jynamo-cli/src/main/java/io/jynamo/cli/Jynamo.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "// stands for the sources\n");
        Files.writeString(tree.root.resolve("pom.xml"), "<project/>\n");
        Path built = prebuild(tmp.resolve("built"));
        Path builds = tmp.resolve("builds");
        Path release = tmp.resolve("release");
        Path mvnw = ScriptTree.script(tmp.resolve("fake-mvnw"), """
                echo "$*" >>'%s'
                # Hold the build until the test lets it go (bounded, so nothing outlives a failed test).
                for _ in $(seq 1 2400); do [ -f '%s' ] && break; sleep 0.05; done
                [ -f '%s' ] || exit 1
                mkdir -p jynamo-cli/target
                cp '%s' %s
                ln -sfn '%s' jynamo-cli/target/lib
                """.formatted(builds, release, release, built.resolve("jynamo-cli.jar"), JAR, built.resolve("lib")));
        Map<String, String> env = Map.of("JYN_MVNW", mvnw.toString());

        ScriptTree.Run a = tree.start("a", env, "./jynamo", "--version");
        ScriptTree.Run b = tree.start("b", env, "./jynamo", "--version");
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!(buildCount(builds) == 1 && (waits(a) || waits(b))) && buildCount(builds) < 2) {
            assertTrue(System.nanoTime() < deadline, "neither launcher built and waited:\n" + a.stderr() + b.stderr());
            Thread.sleep(20);
        }
        Files.writeString(release, "");
        for (ScriptTree.Run r : List.of(a, b)) {
            assertEquals(0, r.awaitExit(120), r.name() + ": " + r.stderr());
            assertTrue(r.stdout().contains("jynamo 0.1.0"), r.name() + " ran: " + r.stdout() + r.stderr());
        }
        assertEquals(1, buildCount(builds), "two launches at once ran two builds");
        assertEquals("-q -B package -DskipTests -pl jynamo-cli -am", Files.readAllLines(builds).getFirst());

        // Build outputs and test sources newer than the jar: no build.
        FileTime later = FileTime.fromMillis(Files.getLastModifiedTime(tree.root.resolve(JAR)).toMillis() + 60_000);
        for (String output : List.of("jynamo-jmh/target/generated-sources/annotations/io/jynamo/jmh/X_jmhTest.java",
                "jynamo-cli/target/classes/io/jynamo/cli/Jynamo.class", ".jynamo-build.log",
                "jynamo-cli/src/test/java/io/jynamo/cli/JynamoTest.java")) {
            Path p = tree.root.resolve(output);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "");
            Files.setLastModifiedTime(p, later);
        }
        ScriptTree.Run c = tree.start("c", env, "./jynamo", "--version");
        assertEquals(0, c.awaitExit(120), c.stderr());
        assertEquals(1, buildCount(builds), "a build output or test source started a build: " + c.stderr());
        assertFalse(c.stderr().contains("building"), c.stderr());

        // A main source changed: one build.
        Files.setLastModifiedTime(source, later);
        ScriptTree.Run d = tree.start("d", env, "./jynamo", "--version");
        assertEquals(0, d.awaitExit(120), d.stderr());
        assertEquals(2, buildCount(builds), d.stderr());
        assertTrue(d.stderr().contains("jynamo: building"), d.stderr());
    }

    /** The links to this JVM's jars go before JUnit deletes the temp directory (which warns about each). */
    private static void unlinkJars(Path lib) throws Exception {
        if (Files.isDirectory(lib)) {
            try (var links = Files.list(lib)) {
                for (Path p : links.filter(Files::isSymbolicLink).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static boolean waits(ScriptTree.Run r) {
        return r.stderr().contains("jynamo: waiting for another jynamo command's build");
    }

    private static int buildCount(Path builds) throws Exception {
        return Files.exists(builds) ? Files.readAllLines(builds).size() : 0;
    }

    /**
     * What the stand-in build puts in place: the jynamo-cli jar and lib/ holding the rest of this
     * JVM's classpath, each class directory packed as a jar (the launcher's lib/* takes jars only).
     */
    private static Path prebuild(Path dir) throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        ToolProvider jar = ToolProvider.findFirst("jar").orElseThrow();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            boolean cli = entry.contains("jynamo-cli");
            Path to = cli ? dir.resolve("jynamo-cli.jar") : lib.resolve((n++) + "-" + p.getFileName() + ".jar");
            if (Files.isDirectory(p)) {
                assertEquals(0, jar.run(System.out, System.err, "--create", "--file", to.toString(), "-C", entry, "."));
            } else if (Files.exists(p)) {
                Files.createSymbolicLink(to, p);
            }
        }
        assertTrue(Files.exists(dir.resolve("jynamo-cli.jar")), "jynamo-cli is not on the classpath");
        return dir;
    }
}
