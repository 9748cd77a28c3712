package io.jynamo.runtime.discovery;

import io.jynamo.runtime.DiscoveryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The file store on the system clock: its leases are kept alive in real time, as between processes. */
class FileDiscoveryStoreTest extends DiscoveryStoreContractTest {
    @TempDir
    Path dir;

    @Override
    protected DiscoveryStore open() {
        return new FileDiscoveryStore(dir, Duration.ofMillis(50), InstantSource.system());
    }

    @Override
    protected void passTime(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    /** The lease file vanishing (it expired while this process was stopped) is what etcd losing a lease is. */
    @Test
    void aLostLeaseIsRecreatedAndItsKeysWrittenAgain() throws Exception {
        io.jynamo.runtime.Lease lease = store.createLease(TTL);
        store.put(p + "worker", b("registered"), lease);
        long before = lease.id();
        java.nio.file.Files.delete(dir.resolve("leases").resolve(Long.toHexString(before) + ".json"));
        assertEquals(java.util.Optional.empty(), store.get(p + "worker"));
        await("the key is back", () -> store.get(p + "worker").isPresent());
        org.junit.jupiter.api.Assertions.assertNotEquals(before, lease.id());
        lease.revoke();
        assertEquals(java.util.Optional.empty(), store.get(p + "worker"));
    }

    @Test
    void twoStoresOnOneDirectorySeeEachOther() {
        try (DiscoveryStore other = open()) {
            other.put(p + "shared", b("from the other process"));
            assertEquals("from the other process", s(store.get(p + "shared").orElseThrow()));
        }
    }
}
