package io.jynamo.runtime.tcp;

import io.jynamo.runtime.TcpConfig;
import io.jynamo.runtime.EndpointId;
import io.jynamo.runtime.Instance;
import io.jynamo.runtime.RequestHandler;
import io.jynamo.runtime.RequestPlane;
import io.jynamo.runtime.ResponseStream;
import io.jynamo.runtime.ServedEndpoint;
import io.jynamo.runtime.Transport;

/** The TCP request plane: a server (started on the first {@link #serve}) and a client, on plain sockets and virtual threads. */
public final class TcpRequestPlane implements RequestPlane {
    private final TcpConfig config;
    private final TcpClient client;
    private TcpServer server;

    public TcpRequestPlane(TcpConfig config) {
        this.config = config;
        this.client = new TcpClient(config);
    }

    @Override
    public Transport.Kind kind() {
        return Transport.Kind.TCP;
    }

    @Override
    public synchronized ServedEndpoint serve(EndpointId endpoint, long instanceId, RequestHandler handler) {
        if (server == null) {
            server = new TcpServer(config);
        }
        TcpServer s = server;
        Instance instance = new Instance(endpoint, instanceId,
                new Transport(Transport.Kind.TCP, config.advertisedHost() + ":" + s.port()));
        s.register(instance.subject(), handler);
        return new ServedEndpoint() {
            @Override
            public Instance instance() {
                return instance;
            }

            @Override
            public void close() {
                s.unregister(instance.subject());
            }
        };
    }

    @Override
    public ResponseStream call(Instance instance, byte[] request) {
        return client.call(instance, request);
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
        }
        client.close();
    }
}
