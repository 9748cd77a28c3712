package io.jynamo.frontend;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** A registry of models added and removed in-process (embedded mode, tests). */
public final class InMemoryModelRegistry implements ModelRegistry {
    private final ConcurrentMap<String, ServedModel> models = new ConcurrentHashMap<>();

    public InMemoryModelRegistry() {
    }

    public InMemoryModelRegistry(List<ServedModel> initial) {
        initial.forEach(this::add);
    }

    /** Adds a model, replacing one served under the same name. */
    public void add(ServedModel model) {
        models.put(model.name(), model);
    }

    /** Stops serving a model; requests in flight continue. */
    public void remove(String name) {
        models.remove(name);
    }

    @Override
    public Optional<ServedModel> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(models.get(name));
    }

    @Override
    public List<ServedModel> list() {
        List<ServedModel> all = new ArrayList<>(models.values());
        all.sort((a, b) -> a.name().compareTo(b.name()));
        return all;
    }
}
