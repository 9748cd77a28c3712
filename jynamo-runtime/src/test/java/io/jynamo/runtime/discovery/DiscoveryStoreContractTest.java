package io.jynamo.runtime.discovery;

import io.jynamo.runtime.DiscoveryStore;
import io.jynamo.runtime.DiscoveryStore.WatchEvent;
import io.jynamo.runtime.EndpointId;
import io.jynamo.runtime.Instance;
import io.jynamo.runtime.InstanceWatcher;
import io.jynamo.runtime.Lease;
import io.jynamo.runtime.Registration;
import io.jynamo.runtime.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every discovery store must do. Keys live under a prefix of each test's own. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class DiscoveryStoreContractTest {
    protected static final Duration TTL = Duration.ofSeconds(2);
    private static final AtomicInteger RUN = new AtomicInteger();

    protected DiscoveryStore store;
    protected String p;

    protected abstract DiscoveryStore open();

    /** Lets {@code d} pass for the store's leases (moves a manual clock, or waits). */
    protected abstract void passTime(Duration d) throws InterruptedException;

    @BeforeEach
    void openStore() {
        store = open();
        p = "t" + ProcessHandle.current().pid() + "-" + RUN.incrementAndGet() + "/";
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Polls until the condition holds (the stores' own pace, never a fixed sleep as the verdict). */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    static WatchEvent next(LinkedBlockingQueue<WatchEvent> q) throws InterruptedException {
        WatchEvent e = q.poll(15, TimeUnit.SECONDS);
        assertNotNull(e, "no watch event within 15 s");
        return e;
    }

    @Test
    void putGetDelete() {
        assertEquals(Optional.empty(), store.get(p + "a"));
        store.put(p + "a", b("1"));
        assertEquals("1", s(store.get(p + "a").orElseThrow()));
        store.put(p + "a", b("2"));
        assertEquals("2", s(store.get(p + "a").orElseThrow()));
        assertTrue(store.delete(p + "a"));
        assertFalse(store.delete(p + "a"));
        assertEquals(Optional.empty(), store.get(p + "a"));
    }

    @Test
    void getPrefixListsOnlyThePrefixInKeyOrder() {
        store.put(p + "x/2", b("b"));
        store.put(p + "x/1", b("a"));
        store.put(p + "y/1", b("c"));
        store.put(p + "x", b("not under x/"));
        List<DiscoveryStore.KeyValue> kvs = store.getPrefix(p + "x/");
        assertEquals(List.of(p + "x/1", p + "x/2"), kvs.stream().map(DiscoveryStore.KeyValue::key).toList());
        assertEquals("a", s(kvs.getFirst().value()));
    }

    @Test
    void watchStartsFromASnapshotThenFollowsChanges() throws Exception {
        store.put(p + "w/old", b("0"));
        LinkedBlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
        try (DiscoveryStore.Watch w = store.watchPrefix(p + "w/", events::add)) {
            WatchEvent first = next(events);
            assertEquals(p + "w/old", first.key());
            assertEquals("0", s(assertInstanceOf(WatchEvent.Put.class, first).value()));
            store.put(p + "w/new", b("1"));
            assertEquals(p + "w/new", assertInstanceOf(WatchEvent.Put.class, next(events)).key());
            store.put(p + "elsewhere", b("x"));
            store.delete(p + "w/old");
            assertEquals(p + "w/old", assertInstanceOf(WatchEvent.Delete.class, next(events)).key());
            store.put(p + "w/new", b("2"));
            WatchEvent.Put changed = assertInstanceOf(WatchEvent.Put.class, next(events));
            assertEquals("2", s(changed.value()));
        }
    }

    @Test
    void revokingALeaseDeletesItsKeys() throws Exception {
        Lease lease = store.createLease(TTL);
        store.put(p + "l/a", b("1"), lease);
        store.put(p + "l/b", b("2"));
        LinkedBlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
        try (DiscoveryStore.Watch w = store.watchPrefix(p + "l/", events::add)) {
            next(events);
            next(events);
            lease.revoke();
            assertEquals(new WatchEvent.Delete(p + "l/a"), next(events));
            assertEquals(Optional.empty(), store.get(p + "l/a"));
            assertEquals("2", s(store.get(p + "l/b").orElseThrow()));
        }
    }

    @Test
    void aHeldLeaseOutlivesItsTtl() throws Exception {
        Lease lease = store.createLease(TTL);
        store.put(p + "h", b("alive"), lease);
        passTime(TTL.plus(TTL));
        assertEquals("alive", s(store.get(p + "h").orElseThrow()));
        lease.revoke();
    }

    @Test
    void keysVanishWhenTheHolderStopsKeepingTheLeaseAlive() throws Exception {
        Lease lease = store.createLease(TTL);
        store.put(p + "e/k", b("v"), lease);
        LinkedBlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
        try (DiscoveryStore.Watch w = store.watchPrefix(p + "e/", events::add)) {
            next(events);
            lease.abandon();
            passTime(TTL.plusSeconds(1));
            await("the key expires", () -> store.get(p + "e/k").isEmpty());
            assertEquals(new WatchEvent.Delete(p + "e/k"), next(events));
        }
    }

    @Test
    void registrationAndTheInstanceWatcher() throws Exception {
        EndpointId ep = new EndpointId("ns" + RUN.incrementAndGet(), "backend", "generate");
        Lease lease = store.createLease(TTL);
        Instance a = new Instance(ep, 0xa1, new Transport(Transport.Kind.TCP, "127.0.0.1:9001"));
        Instance b = new Instance(ep, 0xb2, new Transport(Transport.Kind.NATS, ep.subject(0xb2)));
        Registration.registerInstance(store, lease, a);

        assertEquals(a, Registration.parseInstance(store.get("v1/instances/" + ep.namespace() + "/backend/generate/a1").orElseThrow()));

        try (InstanceWatcher watcher = new InstanceWatcher(store, ep)) {
            await("a is seen", () -> watcher.instances().equals(List.of(a)));
            store.put(ep.instancesPrefix() + "ff", b("{not json"));
            store.put(ep.instancesPrefix() + "ee", b("{\"namespace\":\"other\"}"));
            Lease other = store.createLease(TTL);
            Registration.registerInstance(store, other, b);
            await("b is seen, the malformed records skipped", () -> watcher.instances().equals(List.of(a, b)));
            other.revoke();
            await("b is gone", () -> watcher.instances().equals(List.of(a)));
        }
        lease.revoke();
        assertTrue(store.get(a.discoveryKey()).isEmpty());
    }
}
