package io.jynamo.runtime.discovery;

import io.jynamo.api.ErrorCategory;
import io.jynamo.runtime.DiscoveryStore;
import io.jynamo.runtime.Lease;
import io.jynamo.runtime.RuntimeFailure;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Discovery inside one JVM (the embedded default). A held lease cannot fail to be kept alive here, so
 * it lives until revoked; an abandoned one expires {@code ttl} after it was abandoned, by the injected
 * clock. Expiry is checked on every operation, every 100 ms, and on {@link #expireDue()} (for tests
 * that drive the clock).
 */
public final class MemoryDiscoveryStore implements DiscoveryStore {
    private final InstantSource clock;
    private final TreeMap<String, Entry> entries = new TreeMap<>();
    private final Map<Long, MemoryLease> leases = new HashMap<>();
    private final List<WatchDispatcher> watches = new CopyOnWriteArrayList<>();
    private final AtomicLong nextLease = new AtomicLong(0x1000);
    private final ScheduledExecutorService sweeper;

    public MemoryDiscoveryStore(InstantSource clock) {
        this.clock = clock;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("memory-discovery").factory());
        sweeper.scheduleWithFixedDelay(this::expireDue, 100, 100, TimeUnit.MILLISECONDS);
    }

    private record Entry(byte[] value, long leaseId) {
    }

    @Override
    public void put(String key, byte[] value) {
        write(key, value, 0);
    }

    @Override
    public void put(String key, byte[] value, Lease lease) {
        if (!(lease instanceof MemoryLease l) || l.store != this) {
            throw RuntimeFailure.badRequest("the lease does not belong to this store");
        }
        write(key, value, l.id);
    }

    private synchronized void write(String key, byte[] value, long leaseId) {
        expireDue();
        if (leaseId != 0 && !leases.containsKey(leaseId)) {
            throw new RuntimeFailure(ErrorCategory.NOT_FOUND, "lease " + Long.toHexString(leaseId) + " has expired");
        }
        byte[] copy = value.clone();
        entries.put(key, new Entry(copy, leaseId));
        fire(new WatchEvent.Put(key, copy));
    }

    @Override
    public synchronized Optional<byte[]> get(String key) {
        expireDue();
        Entry e = entries.get(key);
        return e == null ? Optional.empty() : Optional.of(e.value.clone());
    }

    @Override
    public synchronized boolean delete(String key) {
        expireDue();
        if (entries.remove(key) == null) {
            return false;
        }
        fire(new WatchEvent.Delete(key));
        return true;
    }

    @Override
    public synchronized List<KeyValue> getPrefix(String prefix) {
        expireDue();
        return snapshot(prefix);
    }

    private List<KeyValue> snapshot(String prefix) {
        List<KeyValue> out = new ArrayList<>();
        for (var e : entries.tailMap(prefix, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            out.add(new KeyValue(e.getKey(), e.getValue().value.clone()));
        }
        return out;
    }

    @Override
    public synchronized Watch watchPrefix(String prefix, Consumer<WatchEvent> listener) {
        expireDue();
        WatchDispatcher d = new WatchDispatcher(prefix, listener);
        for (KeyValue kv : snapshot(prefix)) {
            d.deliver(new WatchEvent.Put(kv.key(), kv.value()));
        }
        watches.add(d);
        return () -> {
            watches.remove(d);
            d.close();
        };
    }

    @Override
    public synchronized Lease createLease(Duration ttl) {
        if (ttl.toMillis() < 1000) {
            throw RuntimeFailure.badRequest("a lease TTL is at least 1 s, got " + ttl);
        }
        MemoryLease l = new MemoryLease(this, nextLease.getAndIncrement(), ttl);
        leases.put(l.id, l);
        return l;
    }

    /** Expires every abandoned lease whose time has come, with its keys. */
    public synchronized void expireDue() {
        Instant now = clock.instant();
        List<Long> due = new ArrayList<>();
        leases.forEach((id, l) -> {
            if (l.expiresAt != null && !now.isBefore(l.expiresAt)) {
                due.add(id);
            }
        });
        due.forEach(this::dropLease);
    }

    private synchronized void dropLease(long id) {
        if (leases.remove(id) == null) {
            return;
        }
        List<String> keys = new ArrayList<>();
        entries.forEach((k, e) -> {
            if (e.leaseId == id) {
                keys.add(k);
            }
        });
        for (String k : keys) {
            entries.remove(k);
            fire(new WatchEvent.Delete(k));
        }
    }

    private void fire(WatchEvent event) {
        for (WatchDispatcher d : watches) {
            if (d.matches(event.key())) {
                d.deliver(event);
            }
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        watches.forEach(WatchDispatcher::close);
        watches.clear();
    }

    private static final class MemoryLease implements Lease {
        final MemoryDiscoveryStore store;
        final long id;
        final Duration ttl;
        Instant expiresAt;

        MemoryLease(MemoryDiscoveryStore store, long id, Duration ttl) {
            this.store = store;
            this.id = id;
            this.ttl = ttl;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public Duration ttl() {
            return ttl;
        }

        @Override
        public void revoke() {
            store.dropLease(id);
        }

        @Override
        public void abandon() {
            synchronized (store) {
                if (expiresAt == null) {
                    expiresAt = store.clock.instant().plus(ttl);
                }
            }
        }
    }
}
