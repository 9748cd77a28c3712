package io.jynamo.llm.output;

import java.util.List;

/**
 * Stop strings over streamed text: the input not yet emitted is searched for the earliest stop string;
 * without one, the longest tail that is a proper prefix of some stop string is held back. The llm
 * module's {@code StopStrings} is its public face.
 */
public final class StopStringMatcher {
    private final List<String> stops;
    private final StringBuilder held = new StringBuilder();
    private String matched;

    public StopStringMatcher(List<String> stops) {
        this.stops = stops.stream().filter(s -> s != null && !s.isEmpty()).toList();
    }

    /** Adds a text delta; returns the text that can be emitted now. */
    public String feed(String delta) {
        if (matched != null) {
            return "";
        }
        held.append(delta);
        int bestAt = -1;
        String best = null;
        for (String stop : stops) {
            int at = held.indexOf(stop);
            if (at >= 0 && (bestAt < 0 || at < bestAt || (at == bestAt && stop.length() > best.length()))) {
                bestAt = at;
                best = stop;
            }
        }
        if (best != null) {
            matched = best;
            String out = held.substring(0, bestAt);
            held.setLength(0);
            return out;
        }
        int keep = longestPartialSuffix();
        String out = held.substring(0, held.length() - keep);
        held.delete(0, held.length() - keep);
        return out;
    }

    /** Length of the longest tail of {@code held} that some stop string starts with (shorter than that stop). */
    private int longestPartialSuffix() {
        int best = 0;
        String h = held.toString();
        int n = h.length();
        for (String stop : stops) {
            for (int len = Math.min(stop.length() - 1, n); len > best; len--) {
                if (h.regionMatches(n - len, stop, 0, len)) {
                    best = len;
                    break;
                }
            }
        }
        return best;
    }

    public boolean stopped() {
        return matched != null;
    }

    public String matched() {
        return matched;
    }

    public String flush() {
        String out = held.toString();
        held.setLength(0);
        return matched != null ? "" : out;
    }
}
