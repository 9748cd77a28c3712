package io.jynamo.api.kv;

import java.util.List;
import java.util.Objects;

/**
 * A change to the set of KV blocks an engine holds in its prefix cache, as routers index them
 * (ARCHITECTURE.md §5). Hashes are the sequence hashes of {@link BlockHashes}.
 */
public sealed interface KvEvent permits KvEvent.Stored, KvEvent.Removed, KvEvent.Cleared {

    /** One stored block: its sequence hash and the hash of its own tokens. */
    record Block(long blockHash, long tokensHash) {
    }

    /** Blocks entered the cache, extending the chain after {@code parentHash} (null for a first block). */
    record Stored(Long parentHash, List<Block> blocks) implements KvEvent {
        public Stored {
            blocks = List.copyOf(Objects.requireNonNull(blocks, "blocks"));
        }
    }

    /** Blocks left the cache. */
    record Removed(List<Long> blockHashes) implements KvEvent {
        public Removed {
            blockHashes = List.copyOf(Objects.requireNonNull(blockHashes, "blockHashes"));
        }
    }

    /** Everything left the cache. */
    record Cleared() implements KvEvent {
    }

    /** An event with its per-worker, strictly increasing id; a gap tells a router to ask for a dump. */
    record Envelope(long eventId, int dpRank, KvEvent event) {
        public Envelope {
            Objects.requireNonNull(event, "event");
        }
    }
}
