package io.jynamo.runtime.nats;

import io.jynamo.runtime.NatsConfig;
import io.jynamo.runtime.EndpointId;
import io.jynamo.runtime.Instance;
import io.jynamo.runtime.RequestHandler;
import io.jynamo.runtime.RequestPlane;
import io.jynamo.runtime.ResponseStream;
import io.jynamo.runtime.RuntimeFailure;
import io.jynamo.runtime.ServedEndpoint;
import io.jynamo.runtime.Transport;
import io.nats.client.Connection;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The request plane over NATS (wire in the package doc); one connection, reconnecting forever. */
public final class NatsRequestPlane implements RequestPlane {
    private final Connection conn;
    private final NatsClientSide client;
    private final Map<String, NatsServerSide> served = new ConcurrentHashMap<>();
    private final ScheduledExecutorService heartbeats;

    public NatsRequestPlane(NatsConfig config) {
        this.conn = NatsConnections.open(config, "jynamo-request-plane");
        this.client = new NatsClientSide(conn);
        long interval = config.heartbeatInterval().toMillis();
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("nats-heartbeats").factory());
        long silence = TimeUnit.MILLISECONDS.toNanos(3 * interval);
        heartbeats.scheduleWithFixedDelay(() -> {
            served.values().forEach(s -> s.heartbeat(silence));
            client.sendKeepAlives();
            client.expireSilent(silence);
        }, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public Transport.Kind kind() {
        return Transport.Kind.NATS;
    }

    @Override
    public ServedEndpoint serve(EndpointId endpoint, long instanceId, RequestHandler handler) {
        Instance instance = new Instance(endpoint, instanceId, new Transport(Transport.Kind.NATS, endpoint.subject(instanceId)));
        if (served.containsKey(instance.subject())) {
            throw RuntimeFailure.badRequest(instance.subject() + " is already served");
        }
        NatsServerSide side = new NatsServerSide(conn, instance, handler);
        served.put(instance.subject(), side);
        return new ServedEndpoint() {
            @Override
            public Instance instance() {
                return instance;
            }

            @Override
            public void close() {
                if (served.remove(instance.subject(), side)) {
                    side.close();
                }
            }
        };
    }

    @Override
    public ResponseStream call(Instance instance, byte[] request) {
        return client.call(instance, request);
    }

    /** For tests: drops the connection without a word to anyone, as a killed process would. */
    void crash() {
        heartbeats.shutdownNow();
        try {
            conn.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops serving (open streams end with UNAVAILABLE), ends the open calls, closes the connection. */
    @Override
    public void close() {
        heartbeats.shutdownNow();
        served.values().forEach(NatsServerSide::close);
        served.clear();
        client.close();
        try {
            conn.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
