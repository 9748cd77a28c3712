package io.jynamo.cli;

import io.jynamo.frontend.DiscoveryModelRegistry;
import io.jynamo.frontend.ServedModel;
import io.jynamo.router.InstancePicker;
import io.jynamo.router.RouterMode;
import io.jynamo.runtime.DiscoveryStore;
import io.jynamo.runtime.DiscoveryStores;
import io.jynamo.runtime.EventPlane;
import io.jynamo.runtime.Planes;
import io.jynamo.runtime.RequestPlane;
import io.jynamo.runtime.Transport;
import io.jynamo.worker.Worker;
import io.jynamo.worker.WorkerConfig;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The embedded deployment of {@code jynamo run out=MODEL}: one worker and one frontend's model watcher
 * in this JVM, on in-memory discovery and the in-process request and event planes. Requests take the
 * distributed path minus the network: the frontend finds the model in discovery, loads its card from
 * the worker's card files endpoint, and the router sends each request over the in-process plane.
 */
final class Embedded implements AutoCloseable {
    /** How long the frontend may take to see the worker's model (card files are read in memory). */
    private static final Duration READY = Duration.ofSeconds(60);

    private final Deque<AutoCloseable> resources;
    private final DiscoveryModelRegistry registry;
    private final ServedModel model;

    private Embedded(Deque<AutoCloseable> resources, DiscoveryModelRegistry registry, ServedModel model) {
        this.resources = resources;
        this.registry = registry;
        this.model = model;
    }

    static Embedded start(WorkerConfig config, RouterMode mode, PrintWriter err) throws InterruptedException {
        Deque<AutoCloseable> resources = new ArrayDeque<>();
        try {
            DiscoveryStore store = WorkerCommand.open(resources, DiscoveryStores.memory(InstantSource.system()));
            RequestPlane plane = WorkerCommand.open(resources, Planes.inProcess());
            EventPlane events = WorkerCommand.open(resources, Planes.inProcessEvents());
            Worker worker = WorkerCommand.open(resources, Worker.start(config, store, plane, events, err));
            Path cards = Files.createTempDirectory("jynamo-cards");
            resources.push(() -> deleteTree(cards));
            DiscoveryModelRegistry registry = WorkerCommand.open(resources, new DiscoveryModelRegistry(store,
                    Map.of(Transport.Kind.IN_PROCESS, plane), InstancePicker.of(mode, new SecureRandom()), cards,
                    Clock.systemDefaultZone()).start());
            ServedModel model = registry.awaitModel(worker.servedName(), READY);
            return new Embedded(resources, registry, model);
        } catch (IOException e) {
            WorkerCommand.closeAll(resources);
            throw CliException.unavailable("cannot make a temporary directory for model cards: " + e.getMessage());
        } catch (RuntimeException | InterruptedException e) {
            WorkerCommand.closeAll(resources);
            throw e;
        }
    }

    DiscoveryModelRegistry registry() {
        return registry;
    }

    /** The model as the frontend serves it: the card it loaded and the router's engine. */
    ServedModel model() {
        return model;
    }

    @Override
    public void close() {
        WorkerCommand.closeAll(resources);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
