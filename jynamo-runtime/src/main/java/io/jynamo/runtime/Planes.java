package io.jynamo.runtime;

import io.jynamo.runtime.inproc.InProcessEventPlane;
import io.jynamo.runtime.inproc.InProcessRequestPlane;
import io.jynamo.runtime.nats.NatsEventPlane;
import io.jynamo.runtime.nats.NatsRequestPlane;
import io.jynamo.runtime.tcp.TcpRequestPlane;

/**
 * Opens the request and event planes, so that other modules need nothing of this module's
 * implementation packages.
 */
public final class Planes {
    private Planes() {
    }

    /** Requests over TCP: serves on {@code config}'s port, calls instances at their advertised addresses. */
    public static RequestPlane tcp(TcpConfig config) {
        return new TcpRequestPlane(config);
    }

    /** Requests over NATS; fails with UNAVAILABLE naming the server when it does not answer. */
    public static RequestPlane nats(NatsConfig config) {
        return new NatsRequestPlane(config);
    }

    /** Events over NATS; fails with UNAVAILABLE naming the server when it does not answer. */
    public static EventPlane natsEvents(NatsConfig config) {
        return new NatsEventPlane(config);
    }

    /** Requests handed over inside this JVM (the embedded mode): the same contract, no network. */
    public static RequestPlane inProcess() {
        return new InProcessRequestPlane();
    }

    /** Events handed over inside this JVM. */
    public static EventPlane inProcessEvents() {
        return new InProcessEventPlane();
    }
}
