package io.jynamo.llm.remote;

import io.jynamo.runtime.RequestPlane;
import io.jynamo.runtime.ServedEndpoint;
import io.jynamo.runtime.NatsConfig;
import io.jynamo.runtime.nats.NatsRequestPlane;
import io.jynamo.runtime.testing.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Against a real nats-server; the server and the client planes have connections of their own. */
class NatsRequestPlaneTest extends RequestPlaneContractTest {
    private static NatsServer nats;
    private NatsRequestPlane server;
    private NatsRequestPlane client;

    @BeforeAll
    static void startNats() {
        nats = NatsServer.started();
    }

    @AfterAll
    static void stopNats() {
        nats.close();
    }

    @Override
    protected synchronized RequestPlane serverPlane() {
        if (server == null) {
            server = new NatsRequestPlane(NatsConfig.of(nats.url()));
            toClose.add(server);
        }
        return server;
    }

    @Override
    protected synchronized RequestPlane clientPlane() {
        if (client == null) {
            client = new NatsRequestPlane(NatsConfig.of(nats.url()));
            toClose.add(client);
        }
        return client;
    }

    @Override
    protected void killServer(RequestPlane serverPlane, ServedEndpoint served) {
        serverPlane.close();
    }
}
