package io.jynamo.api;

/**
 * What kind of failure an exception reports. Every module's root exception carries one, and the
 * edges translate it into their own convention (HTTP status, CLI exit code).
 */
public enum ErrorCategory {
    /** The caller sent something invalid: fix the input and retry. */
    BAD_REQUEST,
    /** A named thing (model, file, instance) does not exist. */
    NOT_FOUND,
    /** A dependency or resource is missing or overloaded right now; a retry may work. */
    UNAVAILABLE,
    /** A bug or an unexpected state on our side. */
    INTERNAL;

    /** The name on the wire (request planes, JSON): {@code bad_request}, {@code not_found}, … */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The category of a wire name; an unknown or missing name is {@code INTERNAL}. */
    public static ErrorCategory fromWire(String name) {
        if (name != null) {
            for (ErrorCategory c : values()) {
                if (c.wireName().equals(name.toLowerCase(java.util.Locale.ROOT))) {
                    return c;
                }
            }
        }
        return INTERNAL;
    }
}
