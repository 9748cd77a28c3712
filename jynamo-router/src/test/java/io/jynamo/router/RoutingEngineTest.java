package io.jynamo.router;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.JynamoException;
import io.jynamo.api.engine.RequestStream;
import io.jynamo.api.output.EngineOutput;
import io.jynamo.api.request.OutputOptions;
import io.jynamo.api.request.PreprocessedRequest;
import io.jynamo.api.request.SamplingOptions;
import io.jynamo.api.request.StopConditions;
import io.jynamo.engine.EchoEngine;
import io.jynamo.runtime.EndpointId;
import io.jynamo.llm.EngineEndpoint;
import io.jynamo.llm.RemoteEngine;
import io.jynamo.runtime.Instance;
import io.jynamo.runtime.ServedEndpoint;
import io.jynamo.runtime.Transport;
import io.jynamo.runtime.inproc.InProcessRequestPlane;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RoutingEngineTest {
    private static PreprocessedRequest request(int i) {
        return new PreprocessedRequest("r" + i, "m", new int[] {1, 2, 3}, SamplingOptions.GREEDY,
                StopConditions.maxTokens(3), OutputOptions.NONE, 1);
    }

    private static int drain(RequestStream s) throws InterruptedException {
        int tokens = 0;
        EngineOutput out;
        while ((out = s.take()) != null) {
            if (out instanceof EngineOutput.Tokens t) {
                tokens += t.tokenIds().length;
            }
        }
        return tokens;
    }

    @Test
    void aDeadInstanceIsSkippedBeforeAcceptingAndNoInstanceIsUnavailable() throws Exception {
        EndpointId ep = new EndpointId("ns", "backend", "generate");
        try (InProcessRequestPlane plane = new InProcessRequestPlane();
             EchoEngine echo = new EchoEngine(0, 512, 4, 4);
             ServedEndpoint live = EngineEndpoint.serve(plane, ep, 1, echo)) {
            // instance 2 is registered but nothing serves it (a worker that died and has not left discovery)
            Instance dead = new Instance(ep, 2, new Transport(Transport.Kind.IN_PROCESS, ep.subject(2)));
            RoutingEngine routing = new RoutingEngine("m", 16, InstancePicker.of(RouterMode.ROUND_ROBIN, null));
            Candidate deadOne = new Candidate(2, new RemoteEngine(plane, dead));
            Candidate liveOne = new Candidate(1, new RemoteEngine(plane, live.instance()));
            routing.setInstances(List.of(deadOne, liveOne));
            for (int i = 0; i < 4; i++) {
                RequestStream s = routing.submit(request(i));
                assertEquals(1, liveOne.activeRequests(), "request " + i + " is counted while it streams");
                assertEquals(3, drain(s), "request " + i + " served by the live instance");
                assertEquals(0, liveOne.activeRequests(), "request " + i + " ended");
            }
            assertEquals(0, deadOne.activeRequests(), "a refused request leaves no count behind");
            assertEquals(4 * 3, echo.metrics().tokensGenerated());

            routing.setInstances(List.of());
            JynamoException none = assertThrows(JynamoException.class, () -> routing.submit(request(9)));
            assertEquals(ErrorCategory.UNAVAILABLE, none.category());
            assertTrue(none.getMessage().contains("'m'"), none.getMessage());
        }
    }
}
