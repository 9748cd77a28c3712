package io.jynamo.runtime.inproc;

/** NATS subject matching: {@code *} matches one token, a final {@code >} one or more. */
final class SubjectPattern {
    private final String[] tokens;

    SubjectPattern(String pattern) {
        this.tokens = pattern.split("\\.", -1);
    }

    boolean matches(String subject) {
        String[] s = subject.split("\\.", -1);
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i].equals(">") && i == tokens.length - 1) {
                return s.length > i;
            }
            if (i >= s.length || !(tokens[i].equals("*") || tokens[i].equals(s[i]))) {
                return false;
            }
        }
        return s.length == tokens.length;
    }
}
