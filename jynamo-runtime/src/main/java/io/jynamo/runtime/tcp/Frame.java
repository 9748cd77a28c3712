package io.jynamo.runtime.tcp;

import io.jynamo.api.ErrorCategory;

import java.util.Objects;

/** One frame of the TCP request plane (layout in the package doc). */
public record Frame(long id, Type type, String target, ErrorCategory category, String message, byte[] body) {
    private static final byte[] EMPTY = new byte[0];

    public enum Type {
        REQUEST, CANCEL, DATA, END, ERROR, UNKNOWN;

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Type fromWire(String s) {
            return switch (s) {
                case "request" -> REQUEST;
                case "cancel" -> CANCEL;
                case "data" -> DATA;
                case "end" -> END;
                case "error" -> ERROR;
                default -> UNKNOWN;
            };
        }
    }

    public Frame {
        Objects.requireNonNull(type, "type");
        if (id < 0) {
            throw new IllegalArgumentException("a stream id is non-negative, got " + id);
        }
        body = body == null ? EMPTY : body;
        if (type == Type.REQUEST) {
            Objects.requireNonNull(target, "target");
        }
        if (type == Type.ERROR) {
            Objects.requireNonNull(category, "category");
            message = message == null ? "" : message;
        }
    }

    public static Frame request(long id, String target, byte[] body) {
        return new Frame(id, Type.REQUEST, target, null, null, body);
    }

    public static Frame cancel(long id) {
        return new Frame(id, Type.CANCEL, null, null, null, null);
    }

    public static Frame data(long id, byte[] body) {
        return new Frame(id, Type.DATA, null, null, null, body);
    }

    public static Frame end(long id) {
        return new Frame(id, Type.END, null, null, null, null);
    }

    public static Frame error(long id, ErrorCategory category, String message) {
        return new Frame(id, Type.ERROR, null, category, message, null);
    }
}
