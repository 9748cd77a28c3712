package io.jynamo.runtime.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jynamo.api.ErrorCategory;
import io.jynamo.runtime.DiscoveryStore;
import io.jynamo.runtime.Lease;
import io.jynamo.runtime.RuntimeFailure;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Discovery for one host without etcd: a directory shared by the processes of the host.
 * {@code keys/{url-encoded key}.json} holds {@code {"key", "value" (base64), "lease" (hex, absent
 * without a lease)}}; {@code leases/{id hex}.json} holds {@code {"ttl_ms", "expires_at_ms"}}. Files are
 * written to a temporary name and moved into place atomically. A key whose lease file is missing or
 * past its expiry (by the injected clock) is dead and removed by whoever reads it. Watches poll.
 */
public final class FileDiscoveryStore implements DiscoveryStore, LeaseBackend {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path keysDir;
    private final Path leasesDir;
    private final InstantSource clock;
    private final Duration pollInterval;
    private final ScheduledExecutorService scheduler;
    private final List<KeptLease> leases = new CopyOnWriteArrayList<>();

    public FileDiscoveryStore(Path dir, Duration pollInterval, InstantSource clock) {
        this.keysDir = dir.resolve("keys");
        this.leasesDir = dir.resolve("leases");
        this.clock = clock;
        this.pollInterval = pollInterval;
        try {
            Files.createDirectories(keysDir);
            Files.createDirectories(leasesDir);
        } catch (IOException e) {
            throw new RuntimeFailure(ErrorCategory.UNAVAILABLE, "cannot create the discovery directory " + dir, e);
        }
        this.scheduler = Executors.newScheduledThreadPool(1, Thread.ofPlatform().daemon().name("file-discovery").factory());
    }

    @Override
    public void put(String key, byte[] value) {
        leases.forEach(l -> l.forget(key));
        putUnder(key, value, 0);
    }

    @Override
    public void put(String key, byte[] value, Lease lease) {
        if (!(lease instanceof KeptLease l) || !leases.contains(l)) {
            throw RuntimeFailure.badRequest("the lease does not belong to this store");
        }
        if (!refresh(l.id())) {
            throw new RuntimeFailure(ErrorCategory.NOT_FOUND, "lease " + Long.toHexString(l.id()) + " has expired");
        }
        l.remember(key, value);
        putUnder(key, value, l.id());
    }

    @Override
    public void putUnder(String key, byte[] value, long leaseId) {
        ObjectNode node = JSON.createObjectNode();
        node.put("key", key);
        node.put("value", Base64.getEncoder().encodeToString(value));
        if (leaseId != 0) {
            node.put("lease", Long.toHexString(leaseId));
        }
        write(keyFile(key), node);
    }

    @Override
    public Optional<byte[]> get(String key) {
        return Optional.ofNullable(readLive(keyFile(key), new TreeMap<>()));
    }

    @Override
    public boolean delete(String key) {
        leases.forEach(l -> l.forget(key));
        try {
            return Files.deleteIfExists(keyFile(key));
        } catch (IOException e) {
            throw failure("delete " + key, e);
        }
    }

    @Override
    public List<KeyValue> getPrefix(String prefix) {
        List<KeyValue> out = new ArrayList<>();
        scan(prefix).forEach((k, v) -> out.add(new KeyValue(k, v)));
        return out;
    }

    /** Live keys under the prefix, by key. */
    private TreeMap<String, byte[]> scan(String prefix) {
        TreeMap<String, byte[]> out = new TreeMap<>();
        Map<Long, Boolean> leaseAlive = new TreeMap<>();
        String encodedPrefix = encode(prefix);
        try (Stream<Path> files = Files.list(keysDir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (!name.endsWith(".json") || !name.startsWith(encodedPrefix)) {
                    continue;
                }
                String key = URLDecoder.decode(name.substring(0, name.length() - 5), StandardCharsets.UTF_8);
                byte[] value = key.startsWith(prefix) ? readLive(f, leaseAlive) : null;
                if (value != null) {
                    out.put(key, value);
                }
            }
        } catch (IOException e) {
            throw failure("list " + keysDir, e);
        }
        return out;
    }

    private byte[] readLive(Path file, Map<Long, Boolean> leaseAlive) {
        JsonNode node = read(file);
        if (node == null) {
            return null;
        }
        if (node.hasNonNull("lease")) {
            long lease = Long.parseUnsignedLong(node.get("lease").asText(), 16);
            if (!leaseAlive.computeIfAbsent(lease, this::alive)) {
                deleteQuietly(file);
                return null;
            }
        }
        return Base64.getDecoder().decode(node.path("value").asText(""));
    }

    private boolean alive(long leaseId) {
        JsonNode lease = read(leaseFile(leaseId));
        return lease != null && lease.path("expires_at_ms").asLong(0) > clock.millis();
    }

    @Override
    public Watch watchPrefix(String prefix, Consumer<WatchEvent> listener) {
        WatchDispatcher d = new WatchDispatcher(prefix, listener);
        Map<String, byte[]> seen = new TreeMap<>(scan(prefix));
        seen.forEach((k, v) -> d.deliver(new WatchEvent.Put(k, v)));
        var task = scheduler.scheduleWithFixedDelay(() -> poll(prefix, seen, d), pollInterval.toMillis(),
                pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        return () -> {
            task.cancel(false);
            d.close();
        };
    }

    private void poll(String prefix, Map<String, byte[]> seen, WatchDispatcher d) {
        TreeMap<String, byte[]> now;
        try {
            now = scan(prefix);
        } catch (RuntimeFailure e) {
            return;
        }
        for (String k : List.copyOf(seen.keySet())) {
            if (!now.containsKey(k)) {
                seen.remove(k);
                d.deliver(new WatchEvent.Delete(k));
            }
        }
        now.forEach((k, v) -> {
            byte[] old = seen.put(k, v);
            if (old == null || !Arrays.equals(old, v)) {
                d.deliver(new WatchEvent.Put(k, v));
            }
        });
    }

    @Override
    public Lease createLease(Duration ttl) {
        KeptLease l = new KeptLease(this, ttl, scheduler);
        leases.add(l);
        return l;
    }

    @Override
    public long grant(Duration ttl) {
        long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        writeLease(id, ttl.toMillis());
        return id;
    }

    @Override
    public boolean refresh(long leaseId) {
        JsonNode lease = read(leaseFile(leaseId));
        if (lease == null || lease.path("expires_at_ms").asLong(0) <= clock.millis()) {
            return false;
        }
        writeLease(leaseId, lease.path("ttl_ms").asLong());
        return true;
    }

    private void writeLease(long id, long ttlMs) {
        ObjectNode node = JSON.createObjectNode();
        node.put("ttl_ms", ttlMs);
        node.put("expires_at_ms", clock.millis() + ttlMs);
        write(leaseFile(id), node);
    }

    @Override
    public void revoke(long leaseId) {
        deleteQuietly(leaseFile(leaseId));
        scan("");
    }

    private Path keyFile(String key) {
        return keysDir.resolve(encode(key) + ".json");
    }

    private Path leaseFile(long id) {
        return leasesDir.resolve(Long.toHexString(id) + ".json");
    }

    private static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8);
    }

    private JsonNode read(Path file) {
        try {
            return JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null; // half-written by a process that died: treat as absent
        }
    }

    private void write(Path file, JsonNode node) {
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + ThreadLocalRandom.current().nextLong() + ".tmp");
        try {
            Files.write(tmp, JSON.writeValueAsBytes(node));
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw failure("write " + file, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // another process removed it, or will
        }
    }

    private static RuntimeFailure failure(String what, IOException e) {
        return new RuntimeFailure(ErrorCategory.UNAVAILABLE, "file discovery: cannot " + what + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
