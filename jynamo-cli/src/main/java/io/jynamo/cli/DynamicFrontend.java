package io.jynamo.cli;

import io.jynamo.frontend.FrontendConfig;
import io.jynamo.frontend.HttpFrontend;
import io.jynamo.frontend.DiscoveryModelRegistry;
import io.jynamo.router.InstancePicker;
import io.jynamo.router.RouterMode;
import io.jynamo.runtime.DiscoveryStore;
import io.jynamo.runtime.RequestPlane;
import io.jynamo.runtime.Transport;
import io.jynamo.runtime.TcpConfig;
import io.jynamo.runtime.Planes;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code jynamo run in=http out=dyn}: the OpenAI frontend of a deployment, serving every model its
 * workers register (TCP plane always; NATS too when {@code NATS_SERVER} is set).
 */
final class DynamicFrontend {
    private DynamicFrontend() {
    }

    static int serve(FrontendConfig config, String apiKey, String routerMode, String discovery, Path cardCache,
                     PrintWriter err)
            throws InterruptedException {
        RouterMode mode = RouterMode.parse(routerMode);
        Path cache = cardCache != null ? cardCache : Path.of(System.getProperty("user.home"), ".jynamo", "cards");
        Deque<AutoCloseable> resources = new ArrayDeque<>();
        try {
            DiscoveryStore store = Infra.openDiscovery(discovery);
            resources.push(store);
            Map<Transport.Kind, RequestPlane> planes = new EnumMap<>(Transport.Kind.class);
            RequestPlane tcp = Planes.tcp(new TcpConfig("127.0.0.1", 0, "127.0.0.1", Duration.ofSeconds(2)));
            resources.push(tcp);
            planes.put(Transport.Kind.TCP, tcp);
            String nats = Infra.natsServer();
            if (nats != null) {
                RequestPlane n = Infra.natsRequestPlane(nats);
                resources.push(n);
                planes.put(Transport.Kind.NATS, n);
            }
            DiscoveryModelRegistry registry = new DiscoveryModelRegistry(store, planes,
                    InstancePicker.of(mode, new SecureRandom()), cache, Clock.systemDefaultZone()).start();
            resources.push(registry);
            HttpFrontend frontend = new HttpFrontend(config, registry, apiKey);
            resources.push(frontend);
            int port = frontend.start();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                frontend.close();
                stopped.countDown();
            }, "jynamo-shutdown"));
            String shown = config.host().equals("0.0.0.0") ? "localhost" : config.host();
            err.printf("serving discovered models at http://%s:%d/v1 (OpenAI API%s; router %s; discovery %s%s; Ctrl-C stops)%n",
                    shown, port, apiKey == null ? "" : "; API key required", mode.wireName(),
                    Infra.describeDiscovery(discovery), nats == null ? "" : "; NATS " + nats);
            err.flush();
            stopped.await();
            return 0;
        } finally {
            while (!resources.isEmpty()) {
                try {
                    resources.pop().close();
                } catch (Exception e) {
                    // shutting down: nothing more to do
                }
            }
        }
    }
}
