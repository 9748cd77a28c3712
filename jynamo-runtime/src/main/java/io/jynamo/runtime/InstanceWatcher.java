package io.jynamo.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The live instances of one endpoint, kept from a prefix watch on {@code v1/instances/{ns}/{component}/
 * {endpoint}/}. A record that does not parse, or names another endpoint or another id than its key,
 * is skipped with a warning (and drops what its key held before).
 */
public final class InstanceWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceWatcher.class);

    private final EndpointId endpoint;
    private final Map<String, Instance> byKey = new ConcurrentHashMap<>();
    private final List<Consumer<List<Instance>>> listeners = new CopyOnWriteArrayList<>();
    private final DiscoveryStore.Watch watch;

    public InstanceWatcher(DiscoveryStore store, EndpointId endpoint) {
        this.endpoint = endpoint;
        this.watch = store.watchPrefix(endpoint.instancesPrefix(), this::onEvent);
    }

    /** Also called, with the list, after every change. */
    public void addListener(Consumer<List<Instance>> listener) {
        listeners.add(listener);
    }

    /** The live instances, by id. */
    public List<Instance> instances() {
        List<Instance> out = new ArrayList<>(byKey.values());
        out.sort(Comparator.comparingLong(Instance::instanceId));
        return out;
    }

    private void onEvent(DiscoveryStore.WatchEvent event) {
        switch (event) {
            case DiscoveryStore.WatchEvent.Put p -> {
                Instance parsed = parse(p.key(), p.value());
                if (parsed == null) {
                    byKey.remove(p.key());
                } else {
                    byKey.put(p.key(), parsed);
                }
            }
            case DiscoveryStore.WatchEvent.Delete d -> byKey.remove(d.key());
        }
        List<Instance> now = instances();
        listeners.forEach(l -> l.accept(now));
    }

    private Instance parse(String key, byte[] value) {
        try {
            Instance i = Registration.parseInstance(value);
            if (!i.endpoint().equals(endpoint) || !i.discoveryKey().equals(key)) {
                LOG.warn("skipping the instance record at {}: it describes {} ({})", key, i.discoveryKey(), i.transport());
                return null;
            }
            return i;
        } catch (RuntimeException e) {
            LOG.warn("skipping a malformed instance record at {}: {}", key, e.getMessage());
            return null;
        }
    }

    @Override
    public void close() {
        watch.close();
    }
}
