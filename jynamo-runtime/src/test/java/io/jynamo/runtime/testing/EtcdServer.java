package io.jynamo.runtime.testing;

import java.net.URI;
import java.util.List;

/** etcd on free loopback ports, data in a temp dir. */
public final class EtcdServer extends ExternalServer {
    private final int clientPort = freePort();
    private final int peerPort = freePort();

    public EtcdServer() {
        super("etcd");
    }

    public static EtcdServer started() {
        EtcdServer s = new EtcdServer();
        s.start();
        return s;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    /** Stops it, deletes its data, starts it again on the same ports: a cluster that lost everything. */
    public void restartEmpty() {
        stop();
        wipeData(dir.resolve("data"));
        start();
    }

    @Override
    protected List<String> command() {
        String peer = "http://127.0.0.1:" + peerPort;
        return List.of(find("etcd", "/usr/bin/etcd", "/usr/local/bin/etcd"), "--name", "jyn-test",
                "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", endpoint(), "--advertise-client-urls", endpoint(),
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "jyn-test=" + peer, "--log-level", "warn");
    }

    @Override
    protected URI healthUrl() {
        return URI.create(endpoint() + "/health");
    }
}
