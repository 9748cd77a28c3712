package io.jynamo.runtime.discovery;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.jynamo.api.ErrorCategory;
import io.jynamo.runtime.DiscoveryStore;
import io.jynamo.runtime.EtcdConfig;
import io.jynamo.runtime.Lease;
import io.jynamo.runtime.RuntimeFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** Discovery in etcd through jetcd. Every call is bounded by the configured operation timeout. */
public final class EtcdDiscoveryStore implements DiscoveryStore, LeaseBackend {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdDiscoveryStore.class);

    /** How often a watch re-reads its prefix to catch what the watch stream missed. */
    static final long RESYNC_MS = 2000;

    private final EtcdConfig config;
    private final Client client;
    private final KV kv;
    private final ScheduledExecutorService scheduler;
    private final List<KeptLease> leases = new CopyOnWriteArrayList<>();

    /** Connects, trying {@code connectAttempts} times; fails with UNAVAILABLE naming the endpoints. */
    public EtcdDiscoveryStore(EtcdConfig config) {
        this.config = config;
        this.client = Client.builder().endpoints(config.endpoints().toArray(String[]::new))
                .connectTimeout(config.operationTimeout())
                .build();
        this.kv = client.getKVClient();
        RuntimeFailure last = null;
        for (int attempt = 1; attempt <= config.connectAttempts(); attempt++) {
            try {
                await(kv.get(bytes("v1/.probe")), "connect");
                last = null;
                break;
            } catch (RuntimeFailure e) {
                last = e;
                LOG.debug("etcd at {} not reachable yet (attempt {})", config.endpoints(), attempt);
            }
        }
        if (last != null) {
            client.close();
            throw new RuntimeFailure(ErrorCategory.UNAVAILABLE, "cannot reach etcd at " + String.join(",", config.endpoints())
                    + " after " + config.connectAttempts() + " attempts of " + config.operationTimeout().toMillis()
                    + " ms; is it running? (ETCD_ENDPOINTS)", last.getCause());
        }
        this.scheduler = Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().name("etcd-leases-watches").factory());
    }

    @Override
    public void put(String key, byte[] value) {
        leases.forEach(l -> l.forget(key));
        await(kv.put(bytes(key), ByteSequence.from(value)), "put " + key);
    }

    @Override
    public void put(String key, byte[] value, Lease lease) {
        if (!(lease instanceof KeptLease l) || !leases.contains(l)) {
            throw RuntimeFailure.badRequest("the lease does not belong to this store");
        }
        l.remember(key, value);
        long id = l.id();
        try {
            putUnder(key, value, id);
        } catch (RuntimeFailure e) {
            if (e.getCause() == null || !String.valueOf(e.getCause().getMessage()).contains("lease not found")) {
                throw e;
            }
            l.recover(id); // writes this key too, under the new lease
        }
    }

    @Override
    public void putUnder(String key, byte[] value, long leaseId) {
        await(kv.put(bytes(key), ByteSequence.from(value), PutOption.builder().withLeaseId(leaseId).build()),
                "put " + key);
    }

    @Override
    public Optional<byte[]> get(String key) {
        GetResponse r = await(kv.get(bytes(key)), "get " + key);
        return r.getKvs().isEmpty() ? Optional.empty() : Optional.of(r.getKvs().getFirst().getValue().getBytes());
    }

    @Override
    public boolean delete(String key) {
        leases.forEach(l -> l.forget(key));
        return await(kv.delete(bytes(key)), "delete " + key).getDeleted() > 0;
    }

    @Override
    public List<KeyValue> getPrefix(String prefix) {
        return toList(rangePrefix(prefix));
    }

    private GetResponse rangePrefix(String prefix) {
        return await(kv.get(bytes(prefix), GetOption.builder().isPrefix(true)
                .withSortField(GetOption.SortTarget.KEY).withSortOrder(GetOption.SortOrder.ASCEND).build()),
                "get prefix " + prefix);
    }

    private static List<KeyValue> toList(GetResponse r) {
        return r.getKvs().stream().map(kv -> new KeyValue(kv.getKey().toString(StandardCharsets.UTF_8),
                kv.getValue().getBytes())).toList();
    }

    /** A prefix watch that also re-reads the prefix every {@link #RESYNC_MS} (see {@link EtcdPrefixWatch}). */
    @Override
    public Watch watchPrefix(String prefix, Consumer<WatchEvent> listener) {
        return new EtcdPrefixWatch(client, prefix, this::rangePrefix, new WatchDispatcher(prefix, listener), scheduler,
                RESYNC_MS);
    }

    @Override
    public Lease createLease(Duration ttl) {
        KeptLease l = new KeptLease(this, ttl, scheduler);
        leases.add(l);
        return l;
    }

    @Override
    public long grant(Duration ttl) {
        return await(client.getLeaseClient().grant(Math.max(1, ttl.toSeconds())), "grant a lease").getID();
    }

    @Override
    public boolean refresh(long leaseId) {
        try {
            LeaseKeepAliveResponse r = client.getLeaseClient().keepAliveOnce(leaseId)
                    .get(config.operationTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return r.getTTL() > 0;
        } catch (ExecutionException e) {
            if (String.valueOf(e.getCause().getMessage()).contains("not found")) {
                return false;
            }
            throw unavailable("keep lease " + Long.toHexString(leaseId) + " alive", e.getCause());
        } catch (TimeoutException e) {
            throw unavailable("keep lease " + Long.toHexString(leaseId) + " alive", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("keep a lease alive", e);
        }
    }

    @Override
    public void revoke(long leaseId) {
        await(client.getLeaseClient().revoke(leaseId), "revoke lease " + Long.toHexString(leaseId));
    }

    private <T> T await(CompletableFuture<T> f, String what) {
        try {
            return f.get(config.operationTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw unavailable(what, e.getCause());
        } catch (TimeoutException e) {
            f.cancel(true);
            throw unavailable(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(what, e);
        }
    }

    private RuntimeFailure unavailable(String what, Throwable cause) {
        return new RuntimeFailure(ErrorCategory.UNAVAILABLE, "etcd at " + String.join(",", config.endpoints())
                + ": cannot " + what + ": " + reason(cause), cause);
    }

    /** Why a call failed, in words: a timeout's message is null, and "null" tells a user nothing. */
    private String reason(Throwable cause) {
        if (cause == null || cause instanceof TimeoutException) {
            return "no answer within " + config.operationTimeout().toMillis() + " ms";
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        client.close();
    }
}
