package io.jynamo.llm.tokenizer;

import java.nio.file.Path;

/**
 * Settings DJL reads once, before its native tokenizer library loads: never download (the library is
 * inside the jar), use the CPU build even on a GPU host, and unpack it under ~/.jynamo/djl unless the
 * user chose a place ({@code DJL_CACHE_DIR}).
 */
final class DjlSetup {
    private static volatile boolean done;

    private DjlSetup() {
    }

    static synchronized void configure() {
        if (done) {
            return;
        }
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("RUST_FLAVOR", "cpu");
        if (System.getenv("DJL_CACHE_DIR") == null && System.getProperty("DJL_CACHE_DIR") == null) {
            String home = System.getProperty("user.home");
            Path dir = home == null ? Path.of(System.getProperty("java.io.tmpdir"), "jynamo-djl")
                    : Path.of(home, ".jynamo", "djl");
            System.setProperty("DJL_CACHE_DIR", dir.toString());
        }
        done = true;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null && System.getenv(key) == null) {
            System.setProperty(key, value);
        }
    }
}
