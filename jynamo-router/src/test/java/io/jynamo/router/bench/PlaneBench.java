package io.jynamo.router.bench;

import io.jynamo.api.engine.Engine;
import io.jynamo.router.Candidate;
import io.jynamo.router.InstancePicker;
import io.jynamo.router.RouterMode;
import io.jynamo.router.RoutingEngine;
import io.jynamo.api.engine.RequestStream;
import io.jynamo.api.output.EngineOutput;
import io.jynamo.api.request.PreprocessedRequest;
import io.jynamo.api.request.StopConditions;
import io.jynamo.engine.EchoEngine;
import io.jynamo.runtime.EndpointId;
import io.jynamo.llm.EngineEndpoint;
import io.jynamo.llm.RemoteEngine;
import io.jynamo.runtime.RequestPlane;
import io.jynamo.runtime.ServedEndpoint;
import io.jynamo.runtime.inproc.InProcessRequestPlane;
import io.jynamo.runtime.NatsConfig;
import io.jynamo.runtime.nats.NatsRequestPlane;
import io.jynamo.runtime.TcpConfig;
import io.jynamo.runtime.tcp.TcpRequestPlane;
import io.jynamo.runtime.testing.NatsServer;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Request-plane cost, all planes in one run: p50/p99 latency of a 1-token request to the echo engine
 * (sequential, no token delay), and JVM CPU per streamed token over {@link #STREAMS} concurrent long
 * streams of {@link OneTokenPerItemEngine}, where every token travels as an item of its own (the echo
 * engine with no delay would merge them into a few items per request). The JVM holds both the client
 * and the server; nats-server's CPU is not counted. Baseline: the engine called directly. The
 * {@code embedded} row is {@code jynamo run}'s path: the router's engine over the in-process plane.
 * Run: PlaneBench [latencyRequests] [streamRequests] [streamTokens] [planes: direct,embedded,in-process,tcp,nats]
 */
public final class PlaneBench {
    private static final EndpointId EP = new EndpointId("bench", "worker", "generate");
    private static long ids;
    /** Streams run at once in the streaming phase. */
    private static final int STREAMS = 4;

    public static void main(String[] args) throws Exception {
        int latencyRequests = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int streamRequests = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int streamTokens = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        java.util.Set<String> planes = java.util.Set.of((args.length > 3 ? args[3] : "direct,embedded,in-process,tcp,nats").split(","));
        System.out.printf("%-12s %10s %10s %14s %14s %12s%n", "plane", "p50 us", "p99 us", "cpu ns/token",
                "items/request", "tokens/s");
        try (NatsServer nats = NatsServer.started()) {
            for (int round = 0; round < 2; round++) {
                System.out.println(round == 0 ? "-- warm-up round" : "-- measured round");
                if (planes.contains("direct")) {
                    run("direct", null, null, latencyRequests, streamRequests, streamTokens);
                }
                if (planes.contains("embedded")) {
                    try (var p = new InProcessRequestPlane()) {
                        run("embedded", p, p, latencyRequests, streamRequests, streamTokens);
                    }
                }
                if (planes.contains("in-process")) {
                    try (var p = new InProcessRequestPlane()) {
                        run("in-process", p, p, latencyRequests, streamRequests, streamTokens);
                    }
                }
                if (planes.contains("tcp")) {
                    try (var s = new TcpRequestPlane(TcpConfig.loopback()); var c = new TcpRequestPlane(TcpConfig.loopback())) {
                        run("tcp", s, c, latencyRequests, streamRequests, streamTokens);
                    }
                }
                if (planes.contains("nats")) {
                    try (var s = new NatsRequestPlane(NatsConfig.of(nats.url()));
                         var c = new NatsRequestPlane(NatsConfig.of(nats.url()))) {
                        run("nats", s, c, latencyRequests, streamRequests, streamTokens);
                    }
                }
            }
        }
        System.exit(0);
    }

    private static void run(String name, RequestPlane server, RequestPlane client, int latencyRequests,
                            int streamRequests, int streamTokens) throws Exception {
        try (EchoEngine engine = new EchoEngine(0, streamTokens * 2 + 16, 64, 64);
             OneTokenPerItemEngine paced = new OneTokenPerItemEngine()) {
            ServedEndpoint served = server == null ? null : EngineEndpoint.serve(server, EP, ++ids, engine);
            Engine remote = served == null ? engine : new RemoteEngine(client, served.instance());
            ServedEndpoint servedPaced = server == null ? null : EngineEndpoint.serve(server, EP, ++ids, paced);
            Engine pacedRemote = served == null ? paced : new RemoteEngine(client, servedPaced.instance());
            boolean embedded = name.equals("embedded");
            Engine target = embedded ? routed(remote, served.instance().instanceId()) : remote;
            Engine pacedTarget = embedded ? routed(pacedRemote, servedPaced.instance().instanceId()) : pacedRemote;
            long[] lat = new long[latencyRequests];
            int[] one = {42};
            for (int i = 0; i < latencyRequests; i++) {
                long t0 = System.nanoTime();
                drain(target.submit(request(name + "-l" + i, one, 1)));
                lat[i] = System.nanoTime() - t0;
            }
            Arrays.sort(lat);
            int[] prompt = IntStream.range(0, streamTokens).toArray();
            var mx = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = mx.getProcessCpuTime();
            long t0 = System.nanoTime();
            java.util.concurrent.atomic.AtomicLong items = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.atomic.AtomicLong tokenCount = new java.util.concurrent.atomic.AtomicLong();
            try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (int c = 0; c < STREAMS; c++) {
                    int client0 = c;
                    pool.submit(() -> {
                        for (int i = 0; i < streamRequests; i++) {
                            long[] r = drain(pacedTarget.submit(request(name + "-s" + client0 + "-" + i, prompt, streamTokens)));
                            items.addAndGet(r[0]);
                            tokenCount.addAndGet(r[1]);
                        }
                        return null;
                    });
                }
            }
            long tokens = tokenCount.get();
            long wall = System.nanoTime() - t0;
            long cpu = mx.getProcessCpuTime() - cpu0;
            System.out.printf("%-12s %10.1f %10.1f %14.1f %14.1f %12.0f%n", name, lat[lat.length / 2] / 1e3,
                    lat[lat.length * 99 / 100] / 1e3, (double) cpu / tokens, (double) items.get() / (STREAMS * streamRequests),
                    tokens / (wall / 1e9));
            if (served != null) {
                served.close();
                servedPaced.close();
            }
        }
    }

    /** The router's engine for a model served by one instance, as the embedded deployment builds it. */
    private static Engine routed(Engine instance, long id) {
        RoutingEngine router = new RoutingEngine("echo", 16, InstancePicker.of(RouterMode.ROUND_ROBIN, null));
        router.setInstances(java.util.List.of(new Candidate(id, instance)));
        return router;
    }

    private static PreprocessedRequest request(String id, int[] prompt, int maxTokens) {
        return new PreprocessedRequest(id, "echo", prompt, null, StopConditions.maxTokens(maxTokens), null, 1);
    }

    /** {items, tokens} of a drained stream. */
    private static long[] drain(RequestStream s) throws InterruptedException {
        long items = 0;
        long tokens = 0;
        EngineOutput o;
        while ((o = s.take()) != null) {
            items++;
            if (o instanceof EngineOutput.Tokens t) {
                tokens += t.tokenIds().length;
            }
        }
        return new long[]{items, tokens};
    }
}
