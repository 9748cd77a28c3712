package io.jynamo.engine;

import io.jynamo.api.kv.BlockHashes;

import java.lang.foreign.MemorySegment;

/**
 * The KV blocks of a prompt's leading full blocks, as one engine exports them and another imports
 * them (disaggregated prefill, KV transfer): block i holds tokens [i * blockSizeTokens, (i+1) *
 * blockSizeTokens) of the prompt, is cached under {@code sequenceHashes[i]} (ARCHITECTURE.md §5),
 * and its bytes are {@code data[i * bytesPerBlock, (i+1) * bytesPerBlock)} in the block store's
 * layout. Both engines must share the model and the KV geometry.
 *
 * @param tokensHashes the block hash of each block's own tokens (what KV events publish beside the sequence hash)
 */
public record KvBlocks(int blockSizeTokens, long bytesPerBlock, long[] sequenceHashes, long[] tokensHashes,
                       MemorySegment data) {
    public KvBlocks {
        if (blockSizeTokens < 1 || bytesPerBlock < 1) {
            throw EngineException.badInput("KV blocks of " + blockSizeTokens + " tokens and " + bytesPerBlock
                    + " bytes are not blocks");
        }
        sequenceHashes = sequenceHashes.clone();
        tokensHashes = tokensHashes.clone();
        if (sequenceHashes.length != tokensHashes.length
                || data.byteSize() != bytesPerBlock * sequenceHashes.length) {
            throw EngineException.badInput(sequenceHashes.length + " sequence hashes, " + tokensHashes.length
                    + " token hashes and " + data.byteSize() + " bytes do not make blocks of " + bytesPerBlock
                    + " bytes");
        }
        for (int i = 0; i < sequenceHashes.length; i++) {
            long expected = i == 0 ? tokensHashes[0] : BlockHashes.sequenceHash(sequenceHashes[i - 1], tokensHashes[i]);
            if (sequenceHashes[i] != expected) {
                throw EngineException.badInput("KV block " + i + "'s sequence hash does not chain from its parent");
            }
        }
    }

    /** Blocks held. */
    public int count() {
        return sequenceHashes.length;
    }

    /** The bytes of block i. */
    public MemorySegment block(int i) {
        return data.asSlice(i * bytesPerBlock, bytesPerBlock);
    }

    @Override
    public long[] sequenceHashes() {
        return sequenceHashes.clone();
    }

    @Override
    public long[] tokensHashes() {
        return tokensHashes.clone();
    }
}
