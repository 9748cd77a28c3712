package io.jynamo.llm.template;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites Jinja constructs that Jinjava reads differently from Python's Jinja into equivalent ones it
 * reads the same way. Each rewrite keeps the template's whitespace control.
 * <ul>
 *   <li>{@code not x is defined}: Jinja applies {@code not} to the test, Jinjava to {@code x}; written
 *       as {@code not (x is defined)}.</li>
 *   <li>{@code namespace(a=xs|length - 1)}: Jinjava applies the filter to the named parameter; the
 *       value is put in parentheses.</li>
 *   <li>{@code {% for x in xs if cond %}}: Jinjava ignores the loop filter; the body is wrapped in
 *       {@code {% if cond %}}. Inside such a loop, {@code loop.index}/{@code loop.last} count all items,
 *       not only those that pass the filter.</li>
 *   <li>{@code xs[::-1]}: Jinjava has no slice steps; written {@code (xs|reverse|list)}.</li>
 * </ul>
 */
final class JinjaSyntax {
    private static final Pattern NOT_IS = Pattern.compile(
            "\\bnot\\s+([A-Za-z_][\\w.]*(?:\\[[^\\]]*\\])*(?:\\.[A-Za-z_]\\w*)*)\\s+is\\s+(not\\s+)?([A-Za-z_]\\w*)");
    private static final Pattern REVERSED = Pattern.compile(
            "([A-Za-z_][\\w.]*(?:\\[[^\\]:]*\\])*)\\[\\s*::\\s*-1\\s*\\]");
    private static final Pattern NAMESPACE = Pattern.compile("\\bnamespace\\(");
    private static final Pattern FOR_IF = Pattern.compile(
            "\\{%(-?)\\s*for\\s+(.+?)\\s+in\\s+(.+?)\\s+if\\s+(.+?)\\s*(-?)%\\}", Pattern.DOTALL);
    private static final Pattern LOOP_TAG = Pattern.compile("\\{%(-?)\\s*(for|endfor)\\b.*?(-?)%\\}", Pattern.DOTALL);

    private JinjaSyntax() {
    }

    static String adapt(String source) {
        String s = NOT_IS.matcher(source).replaceAll(m -> Matcher.quoteReplacement(
                "not (" + m.group(1) + " is " + (m.group(2) == null ? "" : m.group(2)) + m.group(3) + ")"));
        s = REVERSED.matcher(s).replaceAll(m -> Matcher.quoteReplacement("(" + m.group(1) + "|reverse|list)"));
        s = parenthesizeNamespaceArgs(s);
        return rewriteLoopFilters(s);
    }

    private static String parenthesizeNamespaceArgs(String s) {
        StringBuilder out = new StringBuilder();
        Matcher m = NAMESPACE.matcher(s);
        int last = 0;
        while (m.find(last)) {
            int open = m.end();
            int close = matchingParen(s, open);
            if (close < 0) {
                break;
            }
            out.append(s, last, open);
            String[] args = splitTopLevel(s.substring(open, close));
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                int eq = arg.indexOf('=');
                if (eq > 0 && arg.indexOf('|') > eq && arg.charAt(eq + 1) != '=') {
                    arg = arg.substring(0, eq + 1) + "(" + arg.substring(eq + 1).strip() + ")";
                }
                out.append(i > 0 ? "," : "").append(arg);
            }
            out.append(')');
            last = close + 1;
        }
        return out.append(s.substring(last)).toString();
    }

    /** The index of the ')' closing a '(' just before {@code from}, skipping strings and nesting; -1 if none. */
    private static int matchingParen(String s, int from) {
        int depth = 1;
        char quote = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (--depth == 0) {
                    return c == ')' ? i : -1;
                }
            }
        }
        return -1;
    }

    private static String[] splitTopLevel(String args) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(args.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(args.substring(start));
        return parts.toArray(String[]::new);
    }

    private static String rewriteLoopFilters(String s) {
        Matcher m = FOR_IF.matcher(s);
        while (m.find()) {
            if (m.group(2).contains("%}") || m.group(3).contains("%}") || m.group(4).contains("%}")) {
                continue;
            }
            int endfor = matchingEndfor(s, m.end());
            if (endfor < 0) {
                return s;
            }
            boolean endStrip = s.startsWith("{%-", endfor);
            String forTag = "{%" + m.group(1) + " for " + m.group(2) + " in " + m.group(3) + " %}"
                    + "{% if " + m.group(4) + " " + m.group(5) + "%}";
            String endif = endStrip ? "{%- endif %}" : "{% endif %}";
            s = s.substring(0, m.start()) + forTag + s.substring(m.end(), endfor) + endif + s.substring(endfor);
            m = FOR_IF.matcher(s);
        }
        return s;
    }

    private static int matchingEndfor(String s, int from) {
        Matcher t = LOOP_TAG.matcher(s);
        int depth = 1;
        int pos = from;
        while (t.find(pos)) {
            depth += t.group(2).equals("for") ? 1 : -1;
            if (depth == 0) {
                return t.start();
            }
            pos = t.end();
        }
        return -1;
    }
}
