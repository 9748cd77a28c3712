package io.jynamo.runtime;

import java.time.Duration;

/**
 * A lease of a {@link DiscoveryStore}: keys put under it live as long as it is kept alive. The store
 * keeps it alive in the background; if the store lost it (restarted empty, or the keep-alive was late)
 * a new lease is created and every key put under the old one is written again.
 */
public interface Lease extends AutoCloseable {
    /** The current lease id (it changes when the lease had to be re-created). */
    long id();

    Duration ttl();

    /** Ends the lease now: its keys vanish. */
    void revoke();

    /** Stops the keep-alive without revoking, as if the holder died: the keys vanish at expiry. */
    void abandon();

    /** Same as {@link #revoke()}. */
    @Override
    default void close() {
        revoke();
    }
}
