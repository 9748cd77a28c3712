package io.jynamo.engine.kv;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.kv.KvEvent;
import io.jynamo.engine.EngineException;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Owns the blocks of a {@link BlockStore} for the scheduler: reference counts, the prefix cache (full
 * blocks found again by their sequence hash), LRU eviction of cached blocks nobody references, and
 * the KV events routers index. An event is published exactly when a block enters or leaves the
 * prefix cache, with a per-manager id that strictly increases.
 *
 * <p>A block is in one of three states: free (in the cache's free list), in use (reference count
 * above zero, cached or not), or evictable (cached, count zero, on the LRU list). Used from the
 * engine's step thread only.
 */
public final class BlockManager {
    private final BlockStore cache;
    private final Consumer<KvEvent.Envelope> events;
    private final int dpRank;
    private final int[] refs;
    /** The sequence hash a block is cached under; valid where {@code cached[b]}. */
    private final long[] hashOf;
    private final boolean[] cached;
    private final Map<Long, Integer> byHash = new HashMap<>();
    private final LruList evictable;
    private long nextEventId = 1;

    public BlockManager(BlockStore cache, int dpRank, Consumer<KvEvent.Envelope> events) {
        this.cache = cache;
        this.dpRank = dpRank;
        this.events = events;
        int n = cache.config().numBlocks();
        this.refs = new int[n];
        this.hashOf = new long[n];
        this.cached = new boolean[n];
        this.evictable = new LruList(n);
    }

    /** Blocks that can be handed out now: free ones plus cached ones nobody references. */
    public int availableBlocks() {
        return cache.freeBlocks() + evictable.size();
    }

    public int cachedBlocks() {
        return byHash.size();
    }

    /**
     * The longest run of leading blocks already cached, for a sequence whose full blocks have these
     * sequence hashes; each returned block gains a reference held by the caller.
     */
    public int[] acquirePrefix(long[] sequenceHashes) {
        int n = 0;
        while (n < sequenceHashes.length && byHash.containsKey(sequenceHashes[n])) {
            n++;
        }
        int[] blocks = new int[n];
        for (int i = 0; i < n; i++) {
            blocks[i] = byHash.get(sequenceHashes[i]);
            retain(blocks[i]);
        }
        return blocks;
    }

    /** A block for new tokens, referenced once; evicts the least recently used cached block when none is free. */
    public int allocate() {
        int block;
        if (cache.freeBlocks() > 0) {
            block = cache.allocateBlock();
        } else if (evictable.size() > 0) {
            block = evictable.removeOldest();
            uncache(block);
        } else {
            throw new EngineException(ErrorCategory.UNAVAILABLE, "KV cache is full: all "
                    + cache.config().numBlocks() + " blocks are in use");
        }
        refs[block] = 1;
        return block;
    }

    /** One more reference to a block in use or cached. */
    public void retain(int block) {
        if (refs[block] == 0) {
            if (!cached[block]) {
                throw EngineException.internal("KV block " + block + " is free and cannot be retained", null);
            }
            evictable.remove(block);
        }
        refs[block]++;
    }

    /** Drops a reference; an unreferenced block stays cached (evictable) if it was cached, else it is freed. */
    public void release(int block) {
        if (refs[block] <= 0) {
            throw EngineException.internal("KV block " + block + " released more often than taken", null);
        }
        if (--refs[block] == 0) {
            if (cached[block]) {
                evictable.addNewest(block);
            } else {
                cache.freeBlock(block);
            }
        }
    }

    /**
     * Publishes a full block under its sequence hash so later prompts can reuse it. If another block
     * already holds that hash this one stays private and nothing is published.
     *
     * @param parentHash the sequence hash of the previous block, or null for a first block
     * @return whether the block entered the cache
     */
    public boolean commit(int block, long sequenceHash, long tokensHash, Long parentHash) {
        if (refs[block] <= 0) {
            throw EngineException.internal("KV block " + block + " is not in use and cannot be committed", null);
        }
        if (cached[block] || byHash.containsKey(sequenceHash)) {
            return false;
        }
        cached[block] = true;
        hashOf[block] = sequenceHash;
        byHash.put(sequenceHash, block);
        publish(new KvEvent.Stored(parentHash, List.of(new KvEvent.Block(sequenceHash, tokensHash))));
        return true;
    }

    /** The block cached under {@code sequenceHash}, or -1; takes no reference. */
    public int cachedBlock(long sequenceHash) {
        Integer b = byHash.get(sequenceHash);
        return b == null ? -1 : b;
    }

    /**
     * Brings in a full block computed elsewhere: its bytes go into a block of the store, which is
     * then cached under {@code sequenceHash} with the KV stored event a {@link #commit} publishes.
     * When that hash is cached already, its block is kept and {@code bytes} are not read. Either way
     * the returned block gains a reference held by the caller (so importing the next blocks of a
     * chain cannot evict this one); -1, with nothing taken, when no block is available.
     *
     * @param parentHash the sequence hash of the previous block, or null for a first block
     */
    public int importBlock(long sequenceHash, long tokensHash, Long parentHash, MemorySegment bytes) {
        Integer existing = byHash.get(sequenceHash);
        if (existing != null) {
            retain(existing);
            return existing;
        }
        if (availableBlocks() == 0) {
            return -1;
        }
        int block = allocate();
        try {
            cache.importBlock(block, bytes);
        } catch (RuntimeException e) {
            release(block);
            throw e;
        }
        commit(block, sequenceHash, tokensHash, parentHash);
        return block;
    }

    /** Empties the prefix cache: evictable blocks become free; blocks in use stay, private. */
    public void clear() {
        while (evictable.size() > 0) {
            int b = evictable.removeOldest();
            cached[b] = false;
            cache.freeBlock(b);
        }
        for (int b : byHash.values()) {
            cached[b] = false;
        }
        byHash.clear();
        publish(new KvEvent.Cleared());
    }

    /** Every cached block's sequence hash (for a router's dump after it saw a gap). */
    public List<Long> cachedHashes() {
        return new ArrayList<>(byHash.keySet());
    }

    private void uncache(int block) {
        cached[block] = false;
        byHash.remove(hashOf[block]);
        publish(new KvEvent.Removed(List.of(hashOf[block])));
    }

    private void publish(KvEvent event) {
        events.accept(new KvEvent.Envelope(nextEventId++, dpRank, event));
    }
}
