package io.jynamo.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logging that libraries do outside SLF4J. gRPC (under jetcd) logs through java.util.logging, whose
 * default console handler prints INFO lines such as {@code TcpMetrics} on a user's terminal; our
 * logback.xml keeps libraries at WARN and up, and this does the same for java.util.logging.
 */
final class Logging {
    /** Held so the setting is not lost when the logger is collected. */
    private static final Logger ROOT = Logger.getLogger("");

    private Logging() {}

    static void quietJdkLogging() {
        ROOT.setLevel(Level.WARNING);
    }
}
