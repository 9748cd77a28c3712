package io.jynamo.runtime.testing;

import java.net.URI;
import java.util.List;

/** nats-server on free loopback ports (client and monitoring). */
public final class NatsServer extends ExternalServer {
    private final int port = freePort();
    private final int monitorPort = freePort();

    public NatsServer() {
        super("nats");
    }

    public static NatsServer started() {
        NatsServer s = new NatsServer();
        s.start();
        return s;
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    public void restart() {
        stop();
        start();
    }

    @Override
    protected List<String> command() {
        return List.of(find("nats-server", "/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server"),
                "-a", "127.0.0.1", "-p", Integer.toString(port), "-m", Integer.toString(monitorPort));
    }

    @Override
    protected URI healthUrl() {
        return URI.create("http://127.0.0.1:" + monitorPort + "/healthz");
    }
}
