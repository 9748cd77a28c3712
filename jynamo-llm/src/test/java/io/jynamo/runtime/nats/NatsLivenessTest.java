package io.jynamo.runtime.nats;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.engine.RequestStream;
import io.jynamo.api.output.EngineOutput;
import io.jynamo.api.request.PreprocessedRequest;
import io.jynamo.api.request.StopConditions;
import io.jynamo.engine.EchoEngine;
import io.jynamo.runtime.EndpointId;
import io.jynamo.runtime.NatsConfig;
import io.jynamo.llm.EngineEndpoint;
import io.jynamo.llm.RemoteEngine;
import io.jynamo.runtime.ServedEndpoint;
import io.jynamo.runtime.testing.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Processes that die without a word: heartbeats find them out, in both directions. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NatsLivenessTest {
    private static final EndpointId EP = new EndpointId("live", "worker", "generate");
    private static NatsServer nats;

    @BeforeAll
    static void start() {
        nats = NatsServer.started();
    }

    @AfterAll
    static void stop() {
        nats.close();
    }

    private static NatsConfig fastHeartbeats() {
        return new NatsConfig(nats.url(), Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofMillis(100));
    }

    private static PreprocessedRequest longRequest(String id) {
        return new PreprocessedRequest(id, "echo", IntStream.rangeClosed(1, 2000).toArray(), null,
                StopConditions.maxTokens(2000), null, 1);
    }

    @Test
    void aServerThatDiesSilentlyEndsItsStreamsWithUnavailable() throws Exception {
        try (EchoEngine engine = new EchoEngine(TimeUnit.MILLISECONDS.toNanos(5), 4096, 8, 8);
             NatsRequestPlane server = new NatsRequestPlane(fastHeartbeats());
             NatsRequestPlane client = new NatsRequestPlane(fastHeartbeats())) {
            ServedEndpoint served = EngineEndpoint.serve(server, EP, 0x51, engine);
            RequestStream stream = new RemoteEngine(client, served.instance()).submit(longRequest("dies"));
            assertInstanceOf(EngineOutput.Tokens.class, stream.take());
            server.crash();
            EngineOutput o;
            EngineOutput last = null;
            while ((o = stream.take()) != null) {
                last = o;
            }
            EngineOutput.Failed f = assertInstanceOf(EngineOutput.Failed.class, last);
            assertEquals(ErrorCategory.UNAVAILABLE, f.category());
            assertTrue(f.message().contains("presumed dead"), f.message());
        }
    }

    @Test
    void aClientThatDiesSilentlyHasItsRequestsCancelled() throws Exception {
        try (EchoEngine engine = new EchoEngine(TimeUnit.MILLISECONDS.toNanos(5), 4096, 8, 8);
             NatsRequestPlane server = new NatsRequestPlane(fastHeartbeats());
             NatsRequestPlane client = new NatsRequestPlane(fastHeartbeats())) {
            ServedEndpoint served = EngineEndpoint.serve(server, EP, 0x52, engine);
            RequestStream stream = new RemoteEngine(client, served.instance()).submit(longRequest("orphan"));
            assertInstanceOf(EngineOutput.Tokens.class, stream.take());
            client.crash();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (engine.metrics().running() + engine.metrics().waiting() > 0) {
                assertTrue(System.nanoTime() < deadline, "the orphaned request still runs after 20 s");
                Thread.sleep(10);
            }
            assertTrue(engine.metrics().tokensGenerated() < 2000, "cancelled before its end");
        }
    }
}
