package io.jynamo.runtime;

import java.util.Objects;

/**
 * How to reach an instance: the request plane's kind and its address in that plane's terms
 * ({@code host:port} for TCP, the request subject for NATS, a local name for in-process).
 */
public record Transport(Kind kind, String address) {
    /** The request planes; the wire names are lower case. */
    public enum Kind {
        TCP, NATS, IN_PROCESS;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        public static Kind fromWire(String name) {
            for (Kind k : values()) {
                if (k.wireName().equals(name)) {
                    return k;
                }
            }
            throw RuntimeFailure.badRequest("unknown transport kind '" + name + "' (tcp, nats, in-process)");
        }
    }

    public Transport {
        Objects.requireNonNull(kind, "kind");
        if (address == null || address.isBlank()) {
            throw RuntimeFailure.badRequest("a " + kind.wireName() + " transport needs an address");
        }
        if (kind == Kind.TCP) {
            int colon = address.lastIndexOf(':');
            if (colon <= 0 || !validPort(address.substring(colon + 1))) {
                throw RuntimeFailure.badRequest("a tcp address is host:port, got '" + address + "'");
            }
        }
    }

    private static boolean validPort(String s) {
        try {
            int p = Integer.parseInt(s);
            return p > 0 && p < 65536;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
