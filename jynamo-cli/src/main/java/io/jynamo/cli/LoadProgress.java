package io.jynamo.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads a model's weight files once, front to back, drawing a progress bar. The weights are
 * memory-mapped, so this is what loading really costs: it brings them into the page cache, and the
 * first request does not pay for it.
 */
final class LoadProgress {
    private static final int CHUNK = 8 << 20;

    /** Moves to the start of the line and clears it, so a shorter line leaves no trace of the bar. */
    private static final String CLEAR_LINE = "\r\033[K";

    private LoadProgress() {}

    /**
     * Whether standard error is a terminal: the launcher's test ({@code -Djyn.stderr.tty}, made before it
     * pipes standard error through its filter), else whether this JVM has a console.
     */
    static boolean stderrIsTerminal() {
        String tty = System.getProperty("jyn.stderr.tty");
        return tty != null ? Boolean.parseBoolean(tty) : System.console() != null;
    }

    static void preload(Path model, PrintWriter err, boolean interactive) {
        List<Path> files = weightFiles(model);
        long total = files.stream().mapToLong(LoadProgress::size).sum();
        if (total == 0) {
            return;
        }
        ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
        long done = 0;
        int shown = -1;
        long start = System.nanoTime();
        for (Path f : files) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                int n;
                while ((n = ch.read(buf.clear())) > 0) {
                    done += n;
                    int pct = (int) (100 * done / total);
                    if (interactive && pct != shown) {
                        shown = pct;
                        err.printf(Locale.ROOT, CLEAR_LINE + "loading %s [%-30s] %3d%% %.1f/%.1f GB", model.getFileName(),
                                "#".repeat(pct * 30 / 100), pct, done / 1e9, total / 1e9);
                        err.flush();
                    }
                }
            } catch (IOException e) {
                throw CliException.badInput("cannot read " + f + ": " + e.getMessage());
            }
        }
        err.printf(Locale.ROOT, "%sloaded %s (%.2f GB) in %.1f s%n", interactive ? CLEAR_LINE : "", model.getFileName(),
                total / 1e9, (System.nanoTime() - start) / 1e9);
        err.flush();
    }

    private static List<Path> weightFiles(Path model) {
        if (!Files.isDirectory(model)) {
            return List.of(model);
        }
        try (Stream<Path> s = Files.list(model)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
        } catch (IOException e) {
            throw CliException.badInput("cannot list " + model + ": " + e.getMessage());
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
