package io.jynamo.runtime.discovery;

import io.jynamo.runtime.DiscoveryStore;

import java.time.Duration;

/** The memory store with a clock the test moves. */
class MemoryDiscoveryStoreTest extends DiscoveryStoreContractTest {
    private final ManualClock clock = new ManualClock();
    private MemoryDiscoveryStore memory;

    @Override
    protected DiscoveryStore open() {
        memory = new MemoryDiscoveryStore(clock);
        return memory;
    }

    @Override
    protected void passTime(Duration d) {
        clock.advance(d);
        memory.expireDue();
    }
}
