package io.jynamo.llm.remote;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.JynamoException;
import io.jynamo.api.output.EngineOutput;
import io.jynamo.api.output.FinishReason;
import io.jynamo.engine.EchoEngine;
import io.jynamo.runtime.EndpointId;
import io.jynamo.llm.EngineEndpoint;
import io.jynamo.llm.RemoteEngine;
import io.jynamo.runtime.ServedEndpoint;
import io.jynamo.runtime.NatsConfig;
import io.jynamo.runtime.nats.NatsRequestPlane;
import io.jynamo.runtime.testing.ExternalServer;
import io.jynamo.runtime.testing.NatsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(value = 40, unit = TimeUnit.SECONDS)
class NatsRestartTest {
    @Test
    void afterNatsRestartsTheSamePlanesServeANewCall() throws Exception {
        try (NatsServer nats = NatsServer.started();
             EchoEngine engine = new EchoEngine(0, 1024, 8, 8);
             NatsRequestPlane server = new NatsRequestPlane(NatsConfig.of(nats.url()));
             NatsRequestPlane client = new NatsRequestPlane(NatsConfig.of(nats.url()));
             ServedEndpoint served = EngineEndpoint.serve(server, new EndpointId("t", "w", "gen"), 0x77, engine)) {
            RemoteEngine remote = new RemoteEngine(client, served.instance());
            assertArrayEquals(new int[]{1, 2, 3}, generate(remote, "before"));

            nats.restart();

            // Both connections reconnect by themselves; until they have, a call fails with UNAVAILABLE.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int attempt = 0;
            while (true) {
                try {
                    assertArrayEquals(new int[]{1, 2, 3}, generate(remote, "after-" + attempt++));
                    break;
                } catch (JynamoException e) {
                    assertEquals(ErrorCategory.UNAVAILABLE, e.category(), e.getMessage());
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(50);
                }
            }
        }
    }

    @Test
    void anUnreachableServerFailsWithItsAddress() {
        String url = "nats://127.0.0.1:" + ExternalServer.freePort();
        JynamoException e = assertThrows(JynamoException.class, () -> new NatsRequestPlane(NatsConfig.of(url)));
        assertEquals(ErrorCategory.UNAVAILABLE, e.category());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(url), e.getMessage());
    }

    private static int[] generate(RemoteEngine remote, String id) throws InterruptedException {
        List<EngineOutput> out = RequestPlaneContractTest.drain(
                remote.submit(RequestPlaneContractTest.request(id, 3, 8, 1)));
        EngineOutput end = RequestPlaneContractTest.terminalOf(out, 0);
        if (end instanceof EngineOutput.Failed f) {
            throw new io.jynamo.llm.LlmException(f.category(), f.message());
        }
        assertEquals(FinishReason.STOP, ((EngineOutput.Finished) end).reason());
        return RequestPlaneContractTest.tokensOf(out, 0);
    }
}
