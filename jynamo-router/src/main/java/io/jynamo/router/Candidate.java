package io.jynamo.router;

import io.jynamo.api.engine.Engine;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An instance a request may go to, with what the router knows of its state. One object per live
 * instance for as long as it stays registered (the owner of the instance list keeps it), so that the
 * state outlives a change of the list.
 *
 * <p>State today: the requests this router sent there that are still streaming. KV-aware routing adds
 * the instance's cached blocks (from its KV events) and its load (from its metrics) here.
 */
public final class Candidate {
    private final long instanceId;
    private final Engine engine;
    private final AtomicInteger activeRequests = new AtomicInteger();

    /** @param engine how requests reach the instance (a remote engine over a request plane) */
    public Candidate(long instanceId, Engine engine) {
        this.instanceId = instanceId;
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    public long instanceId() {
        return instanceId;
    }

    public Engine engine() {
        return engine;
    }

    /** Requests routed here by this router whose streams have not ended. */
    public int activeRequests() {
        return activeRequests.get();
    }

    void started() {
        activeRequests.incrementAndGet();
    }

    void ended() {
        activeRequests.decrementAndGet();
    }

    @Override
    public String toString() {
        return Long.toHexString(instanceId);
    }
}
