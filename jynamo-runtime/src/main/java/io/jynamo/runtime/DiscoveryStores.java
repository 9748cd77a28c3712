package io.jynamo.runtime;

import io.jynamo.runtime.discovery.EtcdDiscoveryStore;
import io.jynamo.runtime.discovery.FileDiscoveryStore;
import io.jynamo.runtime.discovery.MemoryDiscoveryStore;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;

/** Opens the discovery stores. */
public final class DiscoveryStores {
    private DiscoveryStores() {
    }

    /** In this JVM only (the embedded default). */
    public static DiscoveryStore memory(InstantSource clock) {
        return new MemoryDiscoveryStore(clock);
    }

    /** A directory shared by the processes of one host; watches poll every {@code pollInterval}. */
    public static DiscoveryStore file(Path dir, Duration pollInterval, InstantSource clock) {
        return new FileDiscoveryStore(dir, pollInterval, clock);
    }

    /** etcd; fails with UNAVAILABLE naming the endpoints if none answers within the configured attempts. */
    public static DiscoveryStore etcd(EtcdConfig config) {
        return new EtcdDiscoveryStore(config);
    }
}
