package io.jynamo.runtime.discovery;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.WatchOption;
import io.jynamo.runtime.DiscoveryStore;
import io.jynamo.runtime.DiscoveryStore.WatchEvent;
import io.jynamo.runtime.RuntimeFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A prefix watch on etcd that survives what jetcd's own watch does not: a cluster that came back
 * empty (its revisions start again below the ones seen, so a resumed watch would wait forever), or
 * missed events. Besides the watch it re-reads the prefix every resync period and reconciles: keys
 * gone are deleted, keys changed are put. Events older than what the key already shows are dropped,
 * so the listener sees each change once, in revision order per key.
 */
final class EtcdPrefixWatch implements DiscoveryStore.Watch {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdPrefixWatch.class);

    /** What a key shows as of a revision; a null value is a deletion (kept until a snapshot settles it). */
    private record Known(long revision, byte[] value) {
        boolean live() {
            return value != null;
        }
    }

    private final Client client;
    private final String prefix;
    private final Function<String, GetResponse> range;
    private final WatchDispatcher dispatcher;
    private final Map<String, Known> known = new HashMap<>();
    private final ScheduledFuture<?> resync;
    private io.etcd.jetcd.Watch.Watcher watcher;
    private long lastRevision;
    private boolean closed;

    EtcdPrefixWatch(Client client, String prefix, Function<String, GetResponse> range, WatchDispatcher dispatcher,
                    ScheduledExecutorService scheduler, long resyncMillis) {
        this.client = client;
        this.prefix = prefix;
        this.range = range;
        this.dispatcher = dispatcher;
        GetResponse snapshot = range.apply(prefix);
        synchronized (this) {
            reconcile(snapshot);
        }
        this.resync = scheduler.scheduleWithFixedDelay(this::resync, resyncMillis, resyncMillis, TimeUnit.MILLISECONDS);
    }

    private static String key(KeyValue kv) {
        return kv.getKey().toString(StandardCharsets.UTF_8);
    }

    /** Applies a snapshot: deletes what it lacks, puts what is new or newer; restarts the watch after it. */
    private void reconcile(GetResponse snapshot) {
        long revision = snapshot.getHeader().getRevision();
        boolean reset = revision < lastRevision;
        Map<String, KeyValue> now = new HashMap<>();
        for (KeyValue kv : snapshot.getKvs()) {
            now.put(key(kv), kv);
        }
        for (String k : List.copyOf(known.keySet())) {
            Known old = known.get(k);
            if (!now.containsKey(k) && (reset || old.revision <= revision)) {
                known.remove(k);
                if (old.live()) {
                    dispatcher.deliver(new WatchEvent.Delete(k));
                }
            }
        }
        snapshot.getKvs().forEach(kv -> apply(key(kv), kv.getModRevision(), kv.getValue().getBytes(), reset));
        if (reset || watcher == null) {
            if (reset) {
                LOG.warn("etcd's revision went back ({} < {}): the cluster restarted empty; watching '{}' afresh",
                        revision, lastRevision, prefix);
            }
            lastRevision = revision;
            startWatch(revision + 1);
        }
    }

    private void apply(String key, long revision, byte[] value, boolean force) {
        Known k = known.get(key);
        if (k != null && !force && k.revision >= revision) {
            return;
        }
        known.put(key, new Known(revision, value));
        lastRevision = Math.max(lastRevision, revision);
        if (k == null || !k.live() || !java.util.Arrays.equals(k.value, value) || force) {
            dispatcher.deliver(new WatchEvent.Put(key, value));
        }
    }

    private void startWatch(long fromRevision) {
        if (watcher != null) {
            watcher.close();
        }
        ByteSequence p = ByteSequence.from(prefix, StandardCharsets.UTF_8);
        watcher = client.getWatchClient().watch(p, WatchOption.builder().isPrefix(true).withRevision(fromRevision).build(),
                io.etcd.jetcd.Watch.listener(response -> onEvents(response.getEvents()),
                        error -> LOG.debug("etcd watch of '{}': {}", prefix, error.getMessage())));
    }

    private synchronized void onEvents(List<io.etcd.jetcd.watch.WatchEvent> events) {
        if (closed) {
            return;
        }
        for (var e : events) {
            String k = key(e.getKeyValue());
            long revision = e.getKeyValue().getModRevision();
            switch (e.getEventType()) {
                case PUT -> apply(k, revision, e.getKeyValue().getValue().getBytes(), false);
                case DELETE -> {
                    Known old = known.get(k);
                    if (old == null || old.revision < revision) {
                        known.put(k, new Known(revision, null));
                        lastRevision = Math.max(lastRevision, revision);
                        if (old != null && old.live()) {
                            dispatcher.deliver(new WatchEvent.Delete(k));
                        }
                    }
                }
                default -> LOG.debug("ignoring an unrecognised etcd event on {}", k);
            }
        }
    }

    private void resync() {
        GetResponse snapshot;
        try {
            snapshot = range.apply(prefix);
        } catch (RuntimeFailure e) {
            return; // unreachable for now; the next resync tries again
        }
        synchronized (this) {
            if (!closed) {
                reconcile(snapshot);
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        resync.cancel(false);
        if (watcher != null) {
            watcher.close();
        }
        dispatcher.close();
    }
}
