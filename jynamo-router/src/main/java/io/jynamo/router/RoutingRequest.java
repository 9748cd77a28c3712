package io.jynamo.router;

import io.jynamo.api.kv.BlockHashes;
import io.jynamo.api.request.PreprocessedRequest;

import java.util.Objects;

/**
 * A request as a picker sees it: the preprocessed request (its token ids) and the sequence hashes of
 * its full KV blocks (ARCHITECTURE.md §5), computed at most once per request and only if a picker asks,
 * so that round-robin pays nothing for them. Not thread-safe: one request is routed by one thread.
 */
public final class RoutingRequest {
    private final PreprocessedRequest request;
    private final int kvBlockSize;
    private long[] sequenceHashes;

    public RoutingRequest(PreprocessedRequest request, int kvBlockSize) {
        this.request = Objects.requireNonNull(request, "request");
        if (kvBlockSize < 1) {
            throw RouterException.badRequest("KV block size must be at least 1 token, got " + kvBlockSize);
        }
        this.kvBlockSize = kvBlockSize;
    }

    public PreprocessedRequest request() {
        return request;
    }

    public int[] tokenIds() {
        return request.tokenIds();
    }

    public int kvBlockSize() {
        return kvBlockSize;
    }

    /** Sequence hashes of the prompt's full blocks, in order (the partial tail block is not hashed). */
    public long[] sequenceHashes() {
        if (sequenceHashes == null) {
            sequenceHashes = BlockHashes.sequenceHashes(request.tokenIds(), kvBlockSize);
        }
        return sequenceHashes;
    }
}
