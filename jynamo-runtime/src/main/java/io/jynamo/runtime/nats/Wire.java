package io.jynamo.runtime.nats;

/** Header names and values of the request plane on NATS (see the package doc). */
final class Wire {
    static final String TYPE = "Jyn-Type";
    static final String SEQ = "Jyn-Seq";
    static final String CATEGORY = "Jyn-Category";
    static final String DATA = "data";
    static final String END = "end";
    static final String ERROR = "error";
    static final String HEARTBEAT = "heartbeat";

    private Wire() {
    }

    static String cancelSubject(String instanceSubject) {
        return instanceSubject + ".cancel";
    }

    /** Where a client says which of its calls to an instance are still wanted: inboxes, one per line. */
    static String aliveSubject(String instanceSubject) {
        return instanceSubject + ".alive";
    }
}
