package io.jynamo.router;


import java.util.Locale;

/** How a request's instance is chosen ({@code --router-mode}). */
public enum RouterMode {
    ROUND_ROBIN, RANDOM;

    /** {@code round-robin} or {@code random}; anything else is a bad request naming both. */
    public static RouterMode parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "round-robin", "round_robin", "roundrobin" -> ROUND_ROBIN;
            case "random" -> RANDOM;
            default -> throw RouterException.badRequest("router mode must be round-robin or random, got '" + name + "'");
        };
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
