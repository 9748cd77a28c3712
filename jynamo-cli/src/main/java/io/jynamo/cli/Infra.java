package io.jynamo.cli;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.JynamoException;
import io.jynamo.runtime.DiscoveryStore;
import io.jynamo.runtime.DiscoveryStores;
import io.jynamo.runtime.EtcdConfig;
import io.jynamo.runtime.NatsConfig;
import io.jynamo.runtime.EventPlane;
import io.jynamo.runtime.Planes;
import io.jynamo.runtime.RequestPlane;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.function.Supplier;

/**
 * How {@code jynamo worker} and {@code jynamo run out=dyn} reach the deployment's infrastructure:
 * etcd when {@code ETCD_ENDPOINTS} is set, else a directory ({@code --discovery file:DIR}, one host);
 * NATS at {@code NATS_SERVER}. A server that does not answer at start is tried a bounded number of
 * times, then the command fails with a message that names the endpoint.
 */
final class Infra {
    /** Attempts to connect to NATS at start (each bounded by the connect timeout). */
    static final int NATS_ATTEMPTS = 3;

    private Infra() {
    }

    static String etcdEndpoints() {
        String e = System.getenv("ETCD_ENDPOINTS");
        return e == null || e.isBlank() ? null : e.trim();
    }

    static String natsServer() {
        String n = System.getenv("NATS_SERVER");
        return n == null || n.isBlank() ? null : n.trim();
    }

    /** A short description of where discovery lives, for the start-up line. */
    static String describeDiscovery(String discoveryOption) {
        String etcd = etcdEndpoints();
        return etcd != null ? "etcd " + etcd : "file " + fileDir(discoveryOption);
    }

    static DiscoveryStore openDiscovery(String discoveryOption) {
        String etcd = etcdEndpoints();
        if (etcd != null) {
            return DiscoveryStores.etcd(EtcdConfig.of(etcd));
        }
        return DiscoveryStores.file(fileDir(discoveryOption), Duration.ofMillis(200), InstantSource.system());
    }

    private static Path fileDir(String discoveryOption) {
        if (discoveryOption == null || discoveryOption.isBlank()) {
            throw CliException.badInput("no discovery: set ETCD_ENDPOINTS (host:port of etcd, as in the reference "
                    + "deployment) or, on one host, --discovery file:DIR (env JYN_DISCOVERY)");
        }
        if (!discoveryOption.startsWith("file:") || discoveryOption.length() == 5) {
            throw CliException.badInput("--discovery takes file:DIR (etcd comes from ETCD_ENDPOINTS), got '"
                    + discoveryOption + "'");
        }
        return Path.of(discoveryOption.substring(5));
    }

    static RequestPlane natsRequestPlane(String url) {
        return retry(() -> Planes.nats(NatsConfig.of(url)));
    }

    static EventPlane natsEventPlane(String url) {
        return retry(() -> Planes.natsEvents(NatsConfig.of(url)));
    }

    private static <T> T retry(Supplier<T> open) {
        JynamoException last = null;
        for (int attempt = 1; attempt <= NATS_ATTEMPTS; attempt++) {
            try {
                return open.get();
            } catch (JynamoException e) {
                if (e.category() != ErrorCategory.UNAVAILABLE) {
                    throw e;
                }
                last = e;
                try {
                    Thread.sleep(500L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new CliException(ErrorCategory.UNAVAILABLE, last.getMessage() + " (after " + NATS_ATTEMPTS + " attempts)");
    }

    /**
     * The address others reach this host by: the local address a packet to etcd (or NATS) would leave
     * from, so a multi-homed host advertises the interface that faces the deployment; loopback on one host.
     */
    static String advertisedHost() {
        for (String target : new String[] {firstEtcd(), natsServer()}) {
            if (target == null) {
                continue;
            }
            try {
                URI uri = URI.create(target.contains("://") ? target : "http://" + target);
                try (DatagramSocket s = new DatagramSocket()) {
                    s.connect(new InetSocketAddress(InetAddress.getByName(uri.getHost()), Math.max(1, uri.getPort())));
                    InetAddress local = s.getLocalAddress();
                    if (local != null && !local.isAnyLocalAddress()) {
                        return local.getHostAddress();
                    }
                }
            } catch (Exception e) {
                // fall through to the next guess
            }
        }
        return etcdEndpoints() == null && natsServer() == null ? "127.0.0.1" : hostAddress();
    }

    private static String firstEtcd() {
        String e = etcdEndpoints();
        return e == null ? null : e.split(",")[0].trim();
    }

    private static String hostAddress() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (Exception e) {
            return "127.0.0.1";
        }
    }
}
