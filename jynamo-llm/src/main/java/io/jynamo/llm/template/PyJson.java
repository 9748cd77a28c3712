package io.jynamo.llm.template;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * JSON as Python's {@code json.dumps} writes it, which is what transformers' {@code tojson} filter
 * calls (ensure_ascii=False, keys in insertion order): {@code ", "} and {@code ": "} between items and
 * after keys, {@code ","} between items when indenting, non-ASCII characters as they are.
 */
public final class PyJson {
    private PyJson() {
    }

    /**
     * @param indent    spaces per level, or -1 for one line
     * @param itemSep   null for Python's default
     * @param keySep    null for Python's default
     * @param sortKeys  sort object keys
     */
    public static String dumps(Object value, int indent, String itemSep, String keySep, boolean sortKeys) {
        StringBuilder sb = new StringBuilder();
        String items = itemSep != null ? itemSep : indent >= 0 ? "," : ", ";
        String keys = keySep != null ? keySep : ": ";
        write(sb, value, indent, items, keys, sortKeys, 0);
        return sb.toString();
    }

    public static String dumps(Object value) {
        return dumps(value, -1, null, null, false);
    }

    private static void write(StringBuilder sb, Object v, int indent, String items, String keys, boolean sort, int level) {
        switch (v) {
            case null -> sb.append("null");
            case Boolean b -> sb.append(b ? "true" : "false");
            case CharSequence s -> quote(sb, s.toString());
            case Double d -> sb.append(floatRepr(d));
            case Float f -> sb.append(floatRepr(f.doubleValue()));
            case Number n -> sb.append(n);
            case Map<?, ?> m -> {
                if (m.isEmpty()) {
                    sb.append("{}");
                    return;
                }
                List<Map.Entry<?, ?>> entries = new ArrayList<>(m.entrySet());
                if (sort) {
                    entries.sort((a, b) -> String.valueOf(a.getKey()).compareTo(String.valueOf(b.getKey())));
                }
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : entries) {
                    if (!first) {
                        sb.append(items);
                    }
                    first = false;
                    newline(sb, indent, level + 1);
                    Object k = e.getKey();
                    quote(sb, k instanceof CharSequence ? k.toString() : dumps(k));
                    sb.append(keys);
                    write(sb, e.getValue(), indent, items, keys, sort, level + 1);
                }
                newline(sb, indent, level);
                sb.append('}');
            }
            case Collection<?> c -> writeArray(sb, new ArrayList<>(c), indent, items, keys, sort, level);
            case Object[] a -> writeArray(sb, List.of(a), indent, items, keys, sort, level);
            default -> quote(sb, v.toString());
        }
    }

    private static void writeArray(StringBuilder sb, List<?> list, int indent, String items, String keys, boolean sort,
                                   int level) {
        if (list.isEmpty()) {
            sb.append("[]");
            return;
        }
        sb.append('[');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                sb.append(items);
            }
            newline(sb, indent, level + 1);
            write(sb, list.get(i), indent, items, keys, sort, level + 1);
        }
        newline(sb, indent, level);
        sb.append(']');
    }

    private static void newline(StringBuilder sb, int indent, int level) {
        if (indent >= 0) {
            sb.append('\n').append(" ".repeat(indent * level));
        }
    }

    /** Python's float repr: shortest round-trip digits, positional for exponents -4..15, else "1e+16" style. */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return (1 / d) < 0 ? "-0.0" : "0.0";
        }
        java.math.BigDecimal bd = new java.math.BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = bd.unscaledValue().abs().toString();
        int exp10 = digits.length() - 1 - bd.scale();
        String sign = d < 0 ? "-" : "";
        if (exp10 >= -4 && exp10 < 16) {
            String plain = bd.abs().toPlainString();
            return sign + (plain.indexOf('.') < 0 ? plain + ".0" : plain);
        }
        String mantissa = digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
        int a = Math.abs(exp10);
        return sign + mantissa + "e" + (exp10 < 0 ? "-" : "+") + (a < 10 ? "0" : "") + a;
    }

    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
