package io.jynamo.engine.format.gguf;

/**
 * Makes a name read from a file safe to put in a one-line error message: control characters are
 * escaped and a name longer than {@value #MAX_CHARS} characters is cut, since a corrupt file can
 * hold anything where a key or tensor name should be.
 */
public final class Printable {
    static final int MAX_CHARS = 120;

    private Printable() {}

    public static String of(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_CHARS) + 8);
        for (int i = 0; i < s.length(); i++) {
            if (sb.length() >= MAX_CHARS) {
                return sb.append("...(").append(s.length()).append(" chars)").toString();
            }
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) || c == '\u2028' || c == '\u2029' || c == '\u0085') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
