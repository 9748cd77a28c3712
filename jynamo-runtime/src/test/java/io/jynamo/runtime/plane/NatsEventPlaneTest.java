package io.jynamo.runtime.plane;

import io.jynamo.runtime.EventPlane;
import io.jynamo.runtime.NatsConfig;
import io.jynamo.runtime.nats.NatsEventPlane;
import io.jynamo.runtime.testing.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

class NatsEventPlaneTest extends EventPlaneContractTest {
    private static NatsServer nats;
    private NatsEventPlane pub;
    private NatsEventPlane sub;

    @BeforeAll
    static void startNats() {
        nats = NatsServer.started();
    }

    @AfterAll
    static void stopNats() {
        nats.close();
    }

    @BeforeEach
    void connect() {
        pub = new NatsEventPlane(NatsConfig.of(nats.url()));
        sub = new NatsEventPlane(NatsConfig.of(nats.url()));
    }

    @AfterEach
    void disconnect() {
        pub.close();
        sub.close();
    }

    @Override
    protected EventPlane publisher() {
        return pub;
    }

    @Override
    protected EventPlane subscriber() {
        return sub;
    }
}
