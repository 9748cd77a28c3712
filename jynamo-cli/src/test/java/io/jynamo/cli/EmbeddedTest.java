package io.jynamo.cli;

import io.jynamo.api.engine.RequestStream;
import io.jynamo.api.output.EngineOutput;
import io.jynamo.api.request.PreprocessedRequest;
import io.jynamo.api.request.StopConditions;
import io.jynamo.engine.EngineConfig;
import io.jynamo.engine.GgmlType;
import io.jynamo.testkit.ModelFamily;
import io.jynamo.testkit.TestAssets;
import io.jynamo.testkit.TestModelGenerator;
import io.jynamo.testkit.TestModelSpec;
import io.jynamo.frontend.ServedInstance;
import io.jynamo.llm.RemoteEngine;
import io.jynamo.router.Candidate;
import io.jynamo.router.RouterMode;
import io.jynamo.router.RoutingEngine;
import io.jynamo.worker.WorkerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded deployment takes the distributed path: discovery, the router, the in-process request plane. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedTest {
    @TempDir
    Path dir;

    @Test
    void aRequestGoesThroughTheRouterAndTheInProcessPlaneToTheWorker() throws Exception {
        Path model = new TestModelGenerator(TestAssets.locate())
                .writeGguf(TestModelSpec.tiny(ModelFamily.LLAMA3, 3), GgmlType.Q8_0, dir.resolve("m.gguf"));
        WorkerConfig config = new WorkerConfig(model, "m", "dynamo", WorkerConfig.EngineKind.ECHO,
                (m, eos) -> EngineConfig.defaults().withEos(eos), 0, 16, 0, 0);
        try (Embedded embedded = Embedded.start(config, RouterMode.ROUND_ROBIN, new PrintWriter(new StringWriter()))) {
            List<ServedInstance> instances = embedded.registry().instances();
            assertEquals(1, instances.size(), instances.toString());
            assertEquals("in-process", instances.getFirst().transport());
            assertEquals("dynamo/backend/generate", instances.getFirst().endpoint());

            RoutingEngine router = assertInstanceOf(RoutingEngine.class, embedded.model().engine(),
                    "the frontend's engine for the model is the router");
            Candidate worker = router.instances().getFirst();
            assertInstanceOf(RemoteEngine.class, worker.engine(), "the router reaches the worker over a request plane");
            assertEquals(instances.getFirst().instanceId(), Long.toHexString(worker.instanceId()));

            RequestStream s = router.submit(new PreprocessedRequest("r1", "m", new int[] {5, 6, 7}, null,
                    StopConditions.maxTokens(3), null, 1));
            assertEquals(1, worker.activeRequests(), "the routed request is counted on the worker's candidate");
            int[] echoed = new int[3];
            int n = 0;
            EngineOutput out;
            while ((out = s.take()) != null) {
                if (out instanceof EngineOutput.Tokens t) {
                    for (int id : t.tokenIds()) {
                        echoed[n++] = id;
                    }
                }
            }
            assertArrayEquals(new int[] {5, 6, 7}, echoed, "the echo worker's tokens came back through the plane");
            assertEquals(0, worker.activeRequests());
        }
    }

    @Test
    void aModelThatDoesNotLoadIsOneErrorAndNothingIsLeftRunning() {
        WorkerConfig config = new WorkerConfig(dir.resolve("missing.gguf"), "m", "dynamo",
                WorkerConfig.EngineKind.JYNAMO, (m, eos) -> EngineConfig.defaults(), 0, 16, 0, 0);
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(io.jynamo.api.JynamoException.class,
                () -> Embedded.start(config, RouterMode.ROUND_ROBIN, new PrintWriter(new StringWriter())));
        assertTrue(e.getMessage().contains("missing.gguf"), e.getMessage());
    }
}
