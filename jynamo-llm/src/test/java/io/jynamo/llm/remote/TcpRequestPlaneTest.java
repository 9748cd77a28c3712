package io.jynamo.llm.remote;

import io.jynamo.runtime.RequestPlane;
import io.jynamo.runtime.ServedEndpoint;
import io.jynamo.runtime.TcpConfig;
import io.jynamo.runtime.tcp.TcpRequestPlane;

/** The server and the client are separate planes, as in two processes. */
class TcpRequestPlaneTest extends RequestPlaneContractTest {
    private final TcpRequestPlane server = new TcpRequestPlane(TcpConfig.loopback());
    private final TcpRequestPlane client = new TcpRequestPlane(TcpConfig.loopback());

    {
        toClose.add(server);
        toClose.add(client);
    }

    @Override
    protected RequestPlane serverPlane() {
        return server;
    }

    @Override
    protected RequestPlane clientPlane() {
        return client;
    }

    /** Closes the listening socket and every connection, without a word to the clients. */
    @Override
    protected void killServer(RequestPlane serverPlane, ServedEndpoint served) {
        serverPlane.close();
    }
}
