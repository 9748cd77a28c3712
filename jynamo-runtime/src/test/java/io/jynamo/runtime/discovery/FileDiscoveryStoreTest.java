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

    @Test
    void twoStoresOnOneDirectorySeeEachOther() {
        try (DiscoveryStore other = open()) {
            other.put(p + "shared", b("from the other process"));
            assertEquals("from the other process", s(store.get(p + "shared").orElseThrow()));
        }
    }
}
