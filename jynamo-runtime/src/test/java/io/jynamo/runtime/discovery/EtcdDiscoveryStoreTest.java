package io.jynamo.runtime.discovery;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.JynamoException;
import io.jynamo.runtime.DiscoveryStore;
import io.jynamo.runtime.EtcdConfig;
import io.jynamo.runtime.Lease;
import io.jynamo.runtime.testing.EtcdServer;
import io.jynamo.runtime.testing.ExternalServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against a real etcd on free loopback ports. */
class EtcdDiscoveryStoreTest extends DiscoveryStoreContractTest {
    private static EtcdServer etcd;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdServer.started();
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    @Override
    protected DiscoveryStore open() {
        return new EtcdDiscoveryStore(EtcdConfig.of(etcd.endpoint()));
    }

    @Override
    protected void passTime(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    @Test
    void anUnreachableEtcdFailsWithABoundedRetryNamingIt() {
        String endpoint = "http://127.0.0.1:" + ExternalServer.freePort();
        JynamoException e = assertThrows(JynamoException.class, () -> new EtcdDiscoveryStore(
                new EtcdConfig(List.of(endpoint), Duration.ofMillis(500), 2)));
        assertEquals(ErrorCategory.UNAVAILABLE, e.category());
        assertTrue(e.getMessage().contains(endpoint), e.getMessage());
    }

    /** Other tests of the class may run after it: it waits for etcd itself, and they open a fresh store. */
    @Test
    void afterEtcdRestartsEmptyTheLeaseIsRecreatedAndTheKeysWrittenAgain() throws Exception {
        Lease lease = store.createLease(TTL);
        store.put(p + "worker", b("registered"), lease);
        long before = lease.id();
        java.util.concurrent.LinkedBlockingQueue<DiscoveryStore.WatchEvent> events = new java.util.concurrent.LinkedBlockingQueue<>();
        DiscoveryStore.Watch watch = store.watchPrefix(p, events::add);
        assertEquals(p + "worker", next(events).key());
        etcd.restartEmpty();
        await("the worker re-registers", () -> {
            try {
                return store.get(p + "worker").map(DiscoveryStoreContractTest::s).equals(Optional.of("registered"));
            } catch (JynamoException e) {
                return false; // still reconnecting
            }
        });
        org.junit.jupiter.api.Assertions.assertNotEquals(before, lease.id(), "a new lease was granted");

        // The watch follows the new cluster, whose revisions started again from 1.
        store.put(p + "after", b("x"));
        DiscoveryStore.WatchEvent e;
        do {
            e = next(events);
        } while (!e.key().equals(p + "after"));
        assertEquals("x", s(((DiscoveryStore.WatchEvent.Put) e).value()));
        watch.close();
        lease.revoke();
    }
}
