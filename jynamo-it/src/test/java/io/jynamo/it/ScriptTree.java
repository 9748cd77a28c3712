package io.jynamo.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A copy of some of the repository's scripts in a temp directory, laid out as in a clean clone (no
 * .jynamo, no target/), and the scripts run there as processes of their own, each with its output in
 * a file. The environment loses every {@code JYN_*} variable (scripts/test.sh exports JYN_DEPS_DIR), so
 * a script sees what it would see on a new user's machine.
 */
final class ScriptTree {
    /** The repository: jynamo-it's tests run in the module's directory. */
    static final Path REPO = Path.of("").toAbsolutePath().getParent();

    final Path root;

    ScriptTree(Path root, List<String> files) throws IOException {
        this.root = root;
        for (String f : files) {
            Path to = root.resolve(f);
            Files.createDirectories(to.getParent());
            Files.copy(REPO.resolve(f), to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    /** Writes an executable shell script. */
    static Path script(Path file, String body) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/usr/bin/env bash\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** Starts {@code command} in the tree; stdout and stderr go to NAME.out and NAME.err beside the tree. */
    Run start(String name, Map<String, String> env, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile())
                .redirectOutput(root.resolveSibling(name + ".out").toFile())
                .redirectError(root.resolveSibling(name + ".err").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("JYN_"));
        pb.environment().putAll(env);
        return new Run(name, pb.start(), root.resolveSibling(name + ".out"), root.resolveSibling(name + ".err"));
    }

    record Run(String name, Process process, Path out, Path err) {
        String stdout() {
            return read(out);
        }

        String stderr() {
            return read(err);
        }

        /** Waits for the exit status; a process still running after {@code seconds} is killed and fails the test. */
        int awaitExit(long seconds) throws InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(name + " still running after " + seconds + " s:\n" + stderr());
            }
            return process.exitValue();
        }

        private static String read(Path p) {
            try {
                return Files.exists(p) ? Files.readString(p) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
