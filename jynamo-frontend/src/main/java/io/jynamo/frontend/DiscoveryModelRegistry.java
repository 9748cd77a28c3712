package io.jynamo.frontend;

import io.jynamo.frontend.discovery.CardLoader;
import io.jynamo.llm.ModelCard;
import io.jynamo.llm.CardFileEndpoint;
import io.jynamo.llm.ModelEntry;
import io.jynamo.llm.ModelRegistration;
import io.jynamo.llm.PublishedCard;
import io.jynamo.llm.RemoteEngine;
import io.jynamo.router.Candidate;
import io.jynamo.router.InstancePicker;
import io.jynamo.router.RoutingEngine;
import io.jynamo.runtime.DiscoveryStore;
import io.jynamo.runtime.Instance;
import io.jynamo.runtime.Registration;
import io.jynamo.runtime.RequestPlane;
import io.jynamo.runtime.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models of a deployment, kept from discovery. It watches {@code v1/instances/},
 * {@code v1/models/} and {@code v1/mdc/}; a model is served while it has a loaded card and at least
 * one model entry whose instance is registered and reachable on one of the given request planes. A
 * model entry names its card by {@code runtime_config.card_checksum} (else the current
 * {@code v1/mdc} record's); entries whose card differs from the model's current card are left out
 * with a warning. Records that do not parse are skipped with a warning. Thread-safe; {@link #find}
 * and {@link #list} read an immutable snapshot.
 */
public final class DiscoveryModelRegistry implements ModelRegistry, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiscoveryModelRegistry.class);
    /** runtime_config key of a model entry naming its card's checksum. */
    public static final String CARD_CHECKSUM = "card_checksum";
    private static final long RETRY_MS = 1000;
    /** How long a model whose last instance left is answered 503 with a retry hint instead of 404. */
    public static final java.time.Duration LOST_GRACE = java.time.Duration.ofSeconds(60);
    /** How often discovery is asked for a key, to tell whether it can be reached. */
    private static final long PROBE_MS = 2000;

    private final DiscoveryStore store;
    private final Map<Transport.Kind, RequestPlane> planes;
    private final InstancePicker picker;
    private final CardLoader loader;
    private final Clock clock;
    private final List<DiscoveryStore.Watch> watches = new ArrayList<>();

    // guarded by this
    private final Map<String, Instance> instances = new HashMap<>();
    private final Map<String, Entry> entries = new HashMap<>();
    private final Map<String, PublishedCard> mdc = new HashMap<>();
    private final Map<String, ModelCard> cards = new HashMap<>();
    private final Set<String> loading = new HashSet<>();
    private final Map<String, RoutingEngine> routers = new HashMap<>();
    private final Map<Instance, Candidate> remotes = new HashMap<>();
    private final Set<Transport.Kind> warnedKinds = ConcurrentHashMap.newKeySet();
    private boolean closed;
    /** Models that lost their last instance, with when (clock millis). */
    private final Map<String, Long> lostAt = new HashMap<>();
    private volatile String discoveryProblem;
    private Thread prober;

    private volatile Map<String, ServedModel> served = Map.of();
    private volatile List<ServedInstance> servedInstances = List.of();

    private record Entry(ModelEntry entry, long instanceId, String checksum) {
        String instanceKey() {
            return entry.endpoint().instancesPrefix() + Long.toHexString(instanceId);
        }
    }

    /**
     * @param planes   the request planes this frontend can call, by kind (instances on others are skipped)
     * @param cacheDir where fetched card files are kept, by checksum
     */
    public DiscoveryModelRegistry(DiscoveryStore store, Map<Transport.Kind, RequestPlane> planes, InstancePicker picker,
                                  Path cacheDir, Clock clock) {
        this.store = store;
        this.planes = Map.copyOf(planes);
        this.picker = picker;
        this.loader = new CardLoader(cacheDir, clock);
        this.clock = clock;
    }

    /** Starts watching; models appear as their cards load. */
    public synchronized DiscoveryModelRegistry start() {
        watches.add(store.watchPrefix(Registration.INSTANCES_PREFIX, guarded(this::onInstance)));
        watches.add(store.watchPrefix(ModelRegistration.MDC_PREFIX, guarded(this::onCard)));
        watches.add(store.watchPrefix(ModelRegistration.MODELS_PREFIX, guarded(this::onModel)));
        prober = Thread.ofVirtual().name("discovery-probe").start(this::probeDiscovery);
        return this;
    }

    /**
     * Reads one key every {@link #PROBE_MS}: a failure (etcd down, a timeout) is kept for
     * {@code /health} and logged once; the watches keep what was last seen, so serving goes on.
     */
    private void probeDiscovery() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                store.get(ModelRegistration.MDC_PREFIX);
                if (discoveryProblem != null) {
                    LOG.info("discovery reachable again");
                }
                discoveryProblem = null;
            } catch (RuntimeException e) {
                String problem = e.getMessage() != null ? e.getMessage() : e.toString();
                if (discoveryProblem == null) {
                    LOG.warn("discovery unreachable: {}; serving the models last seen", problem);
                }
                discoveryProblem = problem;
            }
            try {
                Thread.sleep(PROBE_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private java.util.function.Consumer<DiscoveryStore.WatchEvent> guarded(
            java.util.function.Consumer<DiscoveryStore.WatchEvent> handler) {
        return event -> {
            try {
                handler.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("skipping the discovery record at {}: {}", event.key(), e.getMessage());
            }
        };
    }

    private synchronized void onInstance(DiscoveryStore.WatchEvent event) {
        instances.remove(event.key());
        if (event instanceof DiscoveryStore.WatchEvent.Put p) {
            try {
                Instance i = Registration.parseInstance(p.value());
                if (!i.discoveryKey().equals(p.key())) {
                    LOG.warn("skipping the instance record at {}: it describes {}", p.key(), i.discoveryKey());
                } else {
                    instances.put(p.key(), i);
                }
            } catch (RuntimeException e) {
                LOG.warn("skipping a malformed instance record at {}: {}", p.key(), e.getMessage());
            }
        }
        rebuild();
    }

    private synchronized void onModel(DiscoveryStore.WatchEvent event) {
        entries.remove(event.key());
        if (event instanceof DiscoveryStore.WatchEvent.Put p) {
            try {
                entries.put(p.key(), parseEntry(p.key(), p.value()));
            } catch (RuntimeException e) {
                LOG.warn("skipping a malformed model entry at {}: {}", p.key(), e.getMessage());
            }
        }
        rebuild();
    }

    private static Entry parseEntry(String key, byte[] value) {
        ModelEntry m = ModelEntry.parse(value);
        String rest = key.substring(ModelRegistration.MODELS_PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash < 0 || !rest.substring(0, slash).equals(m.slug())) {
            throw new IllegalArgumentException("its key does not match its served name '" + m.servedName() + "'");
        }
        long id = Instance.parseId(rest.substring(slash + 1));
        Object sum = m.runtimeConfig().get(CARD_CHECKSUM);
        return new Entry(m, id, sum instanceof String s ? s : null);
    }

    private synchronized void onCard(DiscoveryStore.WatchEvent event) {
        String slug = ModelRegistration.slugOfMdcKey(event.key());
        mdc.remove(slug);
        if (event instanceof DiscoveryStore.WatchEvent.Put p) {
            try {
                PublishedCard card = PublishedCard.parse(p.value());
                if (!ModelEntry.slug(card.servedName()).equals(slug)) {
                    LOG.warn("skipping the model card at {}: it is the card of '{}'", p.key(), card.servedName());
                } else {
                    mdc.put(slug, card);
                }
            } catch (RuntimeException e) {
                LOG.warn("skipping a malformed model card at {}: {}", p.key(), e.getMessage());
            }
        }
        rebuild();
    }

    private static String cardKey(String servedName, String checksum) {
        return servedName + "\n" + checksum;
    }

    /** Recomputes what is served from the records; starts loading the cards that are missing. */
    private void rebuild() {
        if (closed) {
            return;
        }
        Map<String, List<Entry>> byModel = new TreeMap<>();
        for (Entry e : entries.values()) {
            Instance inst = instances.get(e.instanceKey());
            if (inst == null) {
                continue;
            }
            if (!planes.containsKey(inst.transport().kind())) {
                if (warnedKinds.add(inst.transport().kind())) {
                    LOG.warn("instance {} of '{}' is reachable over {} only, which this frontend does not use",
                            inst.instanceIdHex(), e.entry().servedName(), inst.transport().kind().wireName());
                }
                continue;
            }
            byModel.computeIfAbsent(e.entry().servedName(), k -> new ArrayList<>()).add(e);
        }
        Map<String, ServedModel> nowServed = new LinkedHashMap<>();
        List<ServedInstance> nowInstances = new ArrayList<>();
        Set<Instance> used = new HashSet<>();
        for (Map.Entry<String, List<Entry>> m : byModel.entrySet()) {
            String name = m.getKey();
            PublishedCard published = mdc.get(ModelEntry.slug(name));
            List<Entry> es = m.getValue();
            es.sort(Comparator.comparingLong(Entry::instanceId));
            String want = published != null ? published.checksum()
                    : es.stream().map(Entry::checksum).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            if (want == null) {
                continue;
            }
            List<Entry> matching = es.stream().filter(e -> e.checksum() == null || e.checksum().equals(want)).toList();
            if (matching.size() < es.size()) {
                LOG.warn("model '{}': {} instance(s) registered another model card than {}; not routing to them",
                        name, es.size() - matching.size(), want.substring(0, 12));
            }
            ModelCard card = cards.get(cardKey(name, want));
            if (card == null) {
                if (published != null && published.checksum().equals(want)) {
                    startLoading(published, matching);
                }
                continue;
            }
            List<Candidate> engines = new ArrayList<>();
            for (Entry e : matching) {
                Instance inst = instances.get(e.instanceKey());
                used.add(inst);
                engines.add(remotes.computeIfAbsent(inst, i -> new Candidate(i.instanceId(),
                        new RemoteEngine(planes.get(i.transport().kind()), i))));
                Candidate candidate = remotes.get(inst);
                nowInstances.add(new ServedInstance(name, inst.endpoint().toString(), inst.instanceIdHex(),
                        inst.transport().kind().wireName(), inst.transport().address(), candidate.engine()));
            }
            RoutingEngine router = routers.computeIfAbsent(name, n -> new RoutingEngine(n, card.kvBlockSize(), picker));
            router.setInstances(engines);
            nowServed.put(name, new ServedModel(card, router));
        }
        routers.forEach((name, r) -> {
            if (!nowServed.containsKey(name)) {
                r.setInstances(List.of());
            }
        });
        // Requests in flight on a vanished instance end through the plane (a closed connection, or
        // NATS heartbeats gone silent), not here: an instance that only lost its lease keeps serving.
        remotes.keySet().retainAll(used);
        logChanges(servedInstances, nowInstances);
        long now = clock.millis();
        for (String name : served.keySet()) {
            if (!nowServed.containsKey(name)) {
                lostAt.put(name, now);
                LOG.warn("model '{}' has no instance left; its requests get 503 for {} s, then 404", name,
                        LOST_GRACE.toSeconds());
            }
        }
        lostAt.keySet().removeAll(nowServed.keySet());
        served = Map.copyOf(nowServed);
        servedInstances = List.copyOf(nowInstances);
        notifyAll();
    }

    private static void logChanges(List<ServedInstance> before, List<ServedInstance> after) {
        Set<String> was = new HashSet<>();
        before.forEach(i -> was.add(i.model() + "/" + i.instanceId()));
        Set<String> is = new HashSet<>();
        after.forEach(i -> is.add(i.model() + "/" + i.instanceId()));
        for (ServedInstance i : after) {
            if (!was.contains(i.model() + "/" + i.instanceId())) {
                LOG.info("model '{}': instance {} added ({} {})", i.model(), i.instanceId(), i.transport(), i.address());
            }
        }
        for (ServedInstance i : before) {
            if (!is.contains(i.model() + "/" + i.instanceId())) {
                LOG.info("model '{}': instance {} lost", i.model(), i.instanceId());
            }
        }
    }

    @Override
    public synchronized boolean lostRecently(String name) {
        Long at = name == null ? null : lostAt.get(name);
        return at != null && clock.millis() - at < LOST_GRACE.toMillis();
    }

    @Override
    public Optional<String> discoveryProblem() {
        return Optional.ofNullable(discoveryProblem);
    }

    /**
     * Waits until the model is served (its card loaded and an instance live); an UNAVAILABLE
     * {@link FrontendException} naming the model when it is not within the timeout.
     */
    public synchronized ServedModel awaitModel(String name, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ServedModel m;
        while ((m = served.get(name)) == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || closed) {
                throw new FrontendException(io.jynamo.api.ErrorCategory.UNAVAILABLE, "the model '" + name
                        + "' was not served within " + timeout.toSeconds() + " s");
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return m;
    }

    private void startLoading(PublishedCard card, List<Entry> holders) {
        String key = cardKey(card.servedName(), card.checksum());
        if (!loading.add(key)) {
            return;
        }
        List<Instance> sources = new ArrayList<>();
        for (Entry e : holders) {
            Instance files = instances.get(CardFileEndpoint.endpoint(e.entry().endpoint().namespace()).instancesPrefix()
                    + Long.toHexString(e.instanceId()));
            if (files != null && planes.containsKey(files.transport().kind())) {
                sources.add(files);
            }
        }
        Thread.ofVirtual().name("card-" + card.checksum().substring(0, 12)).start(() -> load(key, card, sources));
    }

    private void load(String key, PublishedCard card, List<Instance> sources) {
        ModelCard built = null;
        String why = "no worker serves its files yet";
        for (Instance files : sources) {
            try {
                built = loader.load(card, planes.get(files.transport().kind()), files);
                break;
            } catch (RuntimeException e) {
                why = e.getMessage();
            }
        }
        if (built != null) {
            LOG.info("model '{}' card {} loaded", card.servedName(), card.checksum().substring(0, 12));
        } else {
            LOG.warn("cannot load the card of '{}' yet: {}; retrying", card.servedName(), why);
            try {
                Thread.sleep(RETRY_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            loading.remove(key);
            if (built != null) {
                cards.put(key, built);
            }
            rebuild();
        }
    }

    @Override
    public Optional<ServedModel> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(served.get(name));
    }

    @Override
    public List<ServedModel> list() {
        return List.copyOf(served.values());
    }

    @Override
    public List<ServedInstance> instances() {
        return servedInstances;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (prober != null) {
            prober.interrupt();
        }
        watches.forEach(DiscoveryStore.Watch::close);
        watches.clear();
        routers.values().forEach(RoutingEngine::close);
        served = Map.of();
        servedInstances = List.of();
    }
}
