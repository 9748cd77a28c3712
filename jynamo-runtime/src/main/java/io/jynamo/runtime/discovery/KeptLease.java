package io.jynamo.runtime.discovery;

import io.jynamo.runtime.Lease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A lease kept alive by a periodic refresh (every third of its TTL). It remembers the keys put under
 * it: when a refresh finds the lease gone (the store restarted empty, or the refresh came too late),
 * it grants a new lease and writes those keys again, so a worker re-registers by itself.
 */
final class KeptLease implements Lease {
    private static final Logger LOG = LoggerFactory.getLogger(KeptLease.class);

    private final LeaseBackend backend;
    private final Duration ttl;
    private final Map<String, byte[]> keys = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> task;
    private volatile long id;
    private volatile boolean ended;
    private boolean unreachable;

    KeptLease(LeaseBackend backend, Duration ttl, ScheduledExecutorService scheduler) {
        if (ttl.toMillis() < 1000) {
            throw new IllegalArgumentException("a lease TTL is at least 1 s, got " + ttl);
        }
        this.backend = backend;
        this.ttl = ttl;
        this.id = backend.grant(ttl);
        long period = Math.max(100, ttl.toMillis() / 3);
        this.task = scheduler.scheduleWithFixedDelay(this::keepAlive, period, period, TimeUnit.MILLISECONDS);
    }

    void remember(String key, byte[] value) {
        keys.put(key, value.clone());
    }

    void forget(String key) {
        keys.remove(key);
    }

    /**
     * A write under {@code failedId} found the lease gone (expired during a pause longer than its TTL):
     * re-creates it and writes every remembered key again, unless that was done already.
     */
    synchronized void recover(long failedId) {
        if (!ended && id == failedId) {
            regrant();
        }
    }

    private void regrant() {
        long old = id;
        id = backend.grant(ttl);
        keys.forEach((k, v) -> backend.putUnder(k, v, id));
        LOG.warn("lease {} was lost; re-created it as {} and wrote its {} keys again",
                Long.toHexString(old), Long.toHexString(id), keys.size());
    }

    private synchronized void keepAlive() {
        if (ended) {
            return;
        }
        try {
            if (!backend.refresh(id)) {
                regrant();
            } else if (unreachable) {
                LOG.info("lease {} kept alive again", Long.toHexString(id));
            }
            unreachable = false;
        } catch (RuntimeException e) {
            if (!unreachable) {
                // The backend's message names the store and its address (etcd at HOST:PORT: …).
                LOG.warn("lease {} not kept alive: {}; retrying every {} ms", Long.toHexString(id), e.getMessage(),
                        Math.max(100, ttl.toMillis() / 3));
            }
            unreachable = true;
        }
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
        if (stop()) {
            backend.revoke(id);
        }
    }

    @Override
    public void abandon() {
        stop();
    }

    private synchronized boolean stop() {
        if (ended) {
            return false;
        }
        ended = true;
        task.cancel(false);
        return true;
    }
}
