package io.jynamo.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A small consistent key-value store with leases, where processes register what they serve and
 * watch what others serve. Implementations: etcd (distributed), memory (one JVM) and file (one host).
 * Keys are UTF-8 strings, values opaque bytes. Methods throw {@link RuntimeFailure} (UNAVAILABLE when
 * the store cannot be reached).
 */
public interface DiscoveryStore extends AutoCloseable {
    /** Writes a key with no lease: it stays until deleted. */
    void put(String key, byte[] value);

    /**
     * Writes a key under a lease: it vanishes when the lease expires or is revoked. The lease
     * remembers the key, so that when it has to be re-created (the store lost it) the key is written again.
     */
    void put(String key, byte[] value, Lease lease);

    Optional<byte[]> get(String key);

    /** Deletes a key; true if it existed. */
    boolean delete(String key);

    /** Every live key starting with {@code prefix}, in key order. */
    List<KeyValue> getPrefix(String prefix);

    /**
     * Watches the keys under {@code prefix}: first one {@link WatchEvent.Put} per key of a consistent
     * snapshot, then every change after that snapshot, in order, on one thread of the store's.
     */
    Watch watchPrefix(String prefix, Consumer<WatchEvent> listener);

    /** Creates a lease and keeps it alive in the background until it is revoked or abandoned. */
    Lease createLease(Duration ttl);

    @Override
    void close();

    /** A key and its value. */
    record KeyValue(String key, byte[] value) {
        public KeyValue {
            java.util.Objects.requireNonNull(key, "key");
            java.util.Objects.requireNonNull(value, "value");
        }
    }

    /** A change seen by a watch. */
    sealed interface WatchEvent permits WatchEvent.Put, WatchEvent.Delete {
        String key();

        record Put(String key, byte[] value) implements WatchEvent {
        }

        record Delete(String key) implements WatchEvent {
        }
    }

    /** A running watch; closing it stops the events. */
    interface Watch extends AutoCloseable {
        @Override
        void close();
    }
}
