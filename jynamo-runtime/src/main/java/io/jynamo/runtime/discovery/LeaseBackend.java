package io.jynamo.runtime.discovery;

import java.time.Duration;

/** What a store does for a {@link KeptLease}: grant, refresh, revoke, and write a key under a lease id. */
interface LeaseBackend {
    long grant(Duration ttl);

    /** Extends the lease; false if the store no longer has it. Throws when the store cannot be reached. */
    boolean refresh(long leaseId);

    void revoke(long leaseId);

    void putUnder(String key, byte[] value, long leaseId);
}
