package io.jynamo.engine.serve;

import io.jynamo.api.kv.BlockHashes;
import io.jynamo.engine.EngineException;
import io.jynamo.engine.KvBlocks;
import io.jynamo.engine.kv.BlockManager;
import io.jynamo.engine.kv.BlockStore;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Export and import of a prompt's full KV blocks through the prefix cache: what an engine needs for
 * disaggregated serving (a prefill engine hands the blocks it computed to a decode engine). Blocks
 * are found and registered by their sequence hashes, so the importing engine reuses them exactly as
 * it would reuse blocks it computed itself. Step thread only (the engine runs these through
 * {@link StepCommands}).
 */
final class PrefixTransfer {
    private final BlockStore store;
    private final BlockManager blocks;

    PrefixTransfer(BlockStore store, BlockManager blocks) {
        this.store = store;
        this.blocks = blocks;
    }

    /** The longest cached run of the prompt's leading full blocks, copied out. */
    KvBlocks export(int[] promptTokens) {
        int bs = store.config().blockSizeTokens();
        long[] tokensHashes = BlockHashes.blockHashes(promptTokens, bs);
        long[] sequenceHashes = BlockHashes.sequenceHashes(tokensHashes);
        int n = 0;
        while (n < sequenceHashes.length && blocks.cachedBlock(sequenceHashes[n]) >= 0) {
            n++;
        }
        long per = store.config().bytesPerBlock();
        // Off-heap and freed by the GC once the caller drops it: an export may exceed what a byte[] holds.
        MemorySegment data = Arena.ofAuto().allocate(Math.max(1, per * n), 64).asSlice(0, per * n);
        for (int i = 0; i < n; i++) {
            store.exportBlock(blocks.cachedBlock(sequenceHashes[i]), data.asSlice(i * per, per));
        }
        return new KvBlocks(bs, per, Arrays.copyOf(sequenceHashes, n), Arrays.copyOf(tokensHashes, n), data);
    }

    /** Registers the blocks in the prefix cache, in order, while blocks are available; returns how many are cached. */
    int importBlocks(KvBlocks in) {
        int bs = store.config().blockSizeTokens();
        long per = store.config().bytesPerBlock();
        if (in.blockSizeTokens() != bs || in.bytesPerBlock() != per) {
            throw EngineException.badInput("KV blocks of " + in.blockSizeTokens() + " tokens and " + in.bytesPerBlock()
                    + " bytes do not fit this engine's blocks of " + bs + " tokens and " + per + " bytes");
        }
        long[] sequenceHashes = in.sequenceHashes();
        long[] tokensHashes = in.tokensHashes();
        int[] held = new int[in.count()];
        int n = 0;
        try {
            while (n < held.length) {
                Long parent = n == 0 ? null : sequenceHashes[n - 1];
                int b = blocks.importBlock(sequenceHashes[n], tokensHashes[n], parent, in.block(n));
                if (b < 0) {
                    break;
                }
                held[n++] = b;
            }
        } finally {
            // Held until the whole chain is in, so that a later block's allocation cannot evict an earlier one.
            for (int i = n - 1; i >= 0; i--) {
                blocks.release(held[i]);
            }
        }
        return n;
    }
}
