package io.jynamo.cli;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Names close to a mistyped one, which picocli's own suggestions (shared prefixes) often miss: swapped,
 * missing, extra or wrong letters ({@code rnu} → {@code run}), by optimal-string-alignment distance.
 */
final class Suggestions {
    private Suggestions() {
    }

    /**
     * The names within a small distance of {@code typed}, closest first; picocli's suggestions only when
     * none is that close.
     */
    static List<String> of(String typed, List<String> picocli, Collection<String> names) {
        Set<String> all = new LinkedHashSet<>();
        int limit = Math.max(1, Math.min(3, typed.replaceFirst("^-+", "").length() / 3));
        names.stream().filter(n -> distance(typed, n) <= limit)
                .sorted(Comparator.comparingInt(n -> distance(typed, n))).forEach(all::add);
        if (all.isEmpty()) {
            all.addAll(picocli);
        }
        return all.stream().limit(3).toList();
    }

    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
