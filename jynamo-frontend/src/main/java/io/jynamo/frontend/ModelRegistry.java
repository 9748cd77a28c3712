package io.jynamo.frontend;

import java.util.List;
import java.util.Optional;

/**
 * Where the frontend finds the models it serves. The embedded mode fills an {@link InMemoryModelRegistry};
 * a distributed mode backs this with discovery (models appear and vanish as workers come and go), so
 * the frontend asks on every request and keeps no copy. Implementations are thread-safe and fast:
 * {@link #find} runs once per request.
 */
public interface ModelRegistry {
    /** The model served under this name, if any. */
    Optional<ServedModel> find(String name);

    /** Every model served now, in a stable order. */
    List<ServedModel> list();

    /** The instances behind the models, for {@code /health}; none when the engines run in this process. */
    default List<ServedInstance> instances() {
        return List.of();
    }

    /**
     * Whether {@code name} was served a short while ago and lost its last instance since: its
     * requests are answered 503 with a retry hint (a worker restarting) rather than 404.
     */
    default boolean lostRecently(String name) {
        return false;
    }

    /** What is wrong with discovery (etcd unreachable, …), if anything; serving goes on meanwhile. */
    default Optional<String> discoveryProblem() {
        return Optional.empty();
    }
}
