package io.jynamo.frontend;

import io.jynamo.api.engine.RequestStream;
import io.jynamo.api.output.EngineOutput;
import io.jynamo.api.request.OutputOptions;
import io.jynamo.api.request.PreprocessedRequest;
import io.jynamo.api.request.SamplingOptions;
import io.jynamo.api.request.StopConditions;
import io.jynamo.engine.EchoEngine;
import io.jynamo.testkit.TestAssets;
import io.jynamo.llm.CardFiles;
import io.jynamo.router.InstancePicker;
import io.jynamo.router.RouterMode;
import io.jynamo.llm.CardFileEndpoint;
import io.jynamo.runtime.DiscoveryStore;
import io.jynamo.runtime.DiscoveryStores;
import io.jynamo.runtime.EndpointId;
import io.jynamo.llm.EngineEndpoint;
import io.jynamo.runtime.Lease;
import io.jynamo.llm.ModelEntry;
import io.jynamo.llm.ModelRegistration;
import io.jynamo.llm.PublishedCard;
import io.jynamo.runtime.Registration;
import io.jynamo.runtime.ServedEndpoint;
import io.jynamo.runtime.Transport;
import io.jynamo.runtime.inproc.InProcessRequestPlane;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DiscoveryModelRegistryTest {
    private static final String NAME = "org/tiny-llama3";

    /** A worker in this JVM: echo engine and card files on the in-process plane, registered under one lease. */
    private static List<AutoCloseable> worker(DiscoveryStore store, InProcessRequestPlane plane, long id,
                                              Map<String, byte[]> files, Lease lease) {
        EndpointId ep = new EndpointId("ns", "backend", "generate");
        ServedEndpoint gen = EngineEndpoint.serve(plane, ep, id, new EchoEngine(0, 4096, 8, 8));
        ServedEndpoint fs = CardFileEndpoint.serve(plane, "ns", id, files);
        PublishedCard card = PublishedCard.of(NAME, "hf", 4096, 16, null, "", "", files);
        Registration.registerInstance(store, lease, gen.instance());
        Registration.registerInstance(store, lease, fs.instance());
        ModelRegistration.putModelCard(store, lease, ModelEntry.slug(NAME), card.toJson());
        ModelRegistration.registerModel(store, lease, new ModelEntry(NAME, ep, "chat", 16, 4096,
                Map.of(DiscoveryModelRegistry.CARD_CHECKSUM, card.checksum())), id);
        return List.of(gen, fs);
    }

    private static <T> T await(Supplier<Optional<T>> probe, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Optional<T> v = probe.get();
            if (v.isPresent()) {
                return v.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    private static String generate(ServedModel model, int[] prompt) throws InterruptedException {
        RequestStream s = model.engine().submit(new PreprocessedRequest("r" + System.nanoTime(), NAME, prompt,
                SamplingOptions.GREEDY, StopConditions.maxTokens(prompt.length), OutputOptions.NONE, 1));
        List<Integer> ids = new ArrayList<>();
        EngineOutput out;
        while ((out = s.take()) != null) {
            if (out instanceof EngineOutput.Tokens t) {
                for (int id : t.tokenIds()) {
                    ids.add(id);
                }
            } else if (out instanceof EngineOutput.Failed f) {
                throw new AssertionError(f.message());
            }
        }
        return model.card().tokenizer().decode(ids.stream().mapToInt(Integer::intValue).toArray(), true);
    }

    @Test
    void aModelAppearsWithItsCardRoutesToItsInstancesAndLeavesWithThem(@TempDir Path cache) throws Exception {
        Map<String, byte[]> files = CardFiles.ofHuggingFaceDirectory(TestAssets.locate().hfTokenizer("llama3"));
        try (DiscoveryStore store = DiscoveryStores.memory(InstantSource.system());
             InProcessRequestPlane plane = new InProcessRequestPlane();
             DiscoveryModelRegistry registry = new DiscoveryModelRegistry(store, Map.of(Transport.Kind.IN_PROCESS, plane),
                     InstancePicker.of(RouterMode.ROUND_ROBIN, null), cache, Clock.systemUTC()).start()) {
            // malformed records first: skipped, never fatal
            store.put("v1/models/junk/1", "{not json".getBytes(StandardCharsets.UTF_8));
            store.put("v1/instances/a/b/c/1", "[]".getBytes(StandardCharsets.UTF_8));
            store.put("v1/mdc/junk", "{\"files\":[]}".getBytes(StandardCharsets.UTF_8));
            Lease a = store.createLease(Registration.TTL);
            Lease b = store.createLease(Registration.TTL);
            worker(store, plane, 0xa, files, a);
            worker(store, plane, 0xb, files, b);
            ServedModel model = await(() -> registry.find(NAME).filter(m -> registry.instances().size() == 2), "two instances");
            assertEquals(List.of(NAME), registry.list().stream().map(ServedModel::name).toList());
            int[] prompt = model.card().tokenizer().encode("Hello there", false);
            assertEquals("Hello there", generate(model, prompt));
            assertEquals("Hello there", generate(model, prompt));

            a.revoke();
            await(() -> registry.instances().size() == 1 ? Optional.of(true) : Optional.empty(), "one instance left");
            assertEquals("b", registry.instances().getFirst().instanceId());
            for (int i = 0; i < 4; i++) {
                assertEquals("Hello there", generate(registry.find(NAME).orElseThrow(), prompt));
            }
            b.revoke();
            await(() -> registry.find(NAME).isEmpty() ? Optional.of(true) : Optional.empty(), "the model to leave");
            assertTrue(registry.list().isEmpty());
        }
    }
}
