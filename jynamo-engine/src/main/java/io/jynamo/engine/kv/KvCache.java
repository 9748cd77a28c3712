package io.jynamo.engine.kv;

import io.jynamo.api.ErrorCategory;
import io.jynamo.engine.EngineException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The preallocated off-heap pool of KV blocks.
 *
 * <p>Layout, chosen so that one block is one contiguous run of {@link KvCacheConfig#bytesPerBlock()}
 * bytes (a KV transfer or an offload moves a block with one copy) and so that attention reads the
 * keys or values of one KV head as one contiguous run per block:
 * <pre>
 *   block b: [layer][K=0 | V=1][kvHead][ blockSize * headDim f16 values ], little-endian
 *   head run at b * bytesPerBlock + ((layer * 2 + kind) * kvHeads + kvHead) * blockSize * headDim * 2
 *   keys,   transposed: [headDim][blockSize]  (element d of slot s at (d * blockSize + s) * 2)
 *   values, row-major:  [blockSize][headDim]  (element d of slot s at (s * headDim + d) * 2)
 * </pre>
 * Keys are transposed so that attention computes the scores of a vector's worth of slots at once
 * (lanes are slots, no horizontal sums); values stay row-major because the weighted sum runs along
 * headDim. Attention is fastest when blockSize is a multiple of the float vector length (16 here).
 * Block ids are plain ints in [0, numBlocks); the free list hands out low ids first, and the pool's
 * pages are committed by the OS as blocks are first written ({@link LazyMemory}), so an idle or
 * lightly used pool costs address space, not RAM.
 *
 * <p>Threads: allocation and freeing are synchronized; {@link #store}, reads, {@link #exportBlock}
 * and {@link #importBlock} may run on any thread as long as no two threads write the same slot and
 * nobody reads a slot while it is written.
 */
public final class KvCache implements BlockStore {
    /** How f16 values are laid out in the pool: fixed little-endian, so blocks can cross machines. */
    public static final ValueLayout.OfShort F16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final KvCacheConfig config;
    private final Arena arena;
    private final MemorySegment memory;
    private final long bytesPerBlock;
    private final long bytesPerHeadBlock;
    private final int[] freeStack;
    private int freeCount;
    /** free[b] is true while block b sits on the free stack: catches double frees. */
    private final boolean[] free;

    public KvCache(KvCacheConfig config) {
        if (config == null) {
            throw EngineException.badInput("KV cache config is missing");
        }
        this.config = config;
        this.bytesPerBlock = config.bytesPerBlock();
        this.bytesPerHeadBlock = config.bytesPerHeadBlock();
        this.arena = Arena.ofShared();
        try {
            this.memory = LazyMemory.allocate(arena, config.totalBytes(), 64);
        } catch (OutOfMemoryError | IllegalArgumentException e) {
            arena.close();
            throw new EngineException(ErrorCategory.UNAVAILABLE, "cannot allocate " + config.totalBytes()
                    + " bytes for a KV cache of " + config.numBlocks() + " blocks; lower the KV cache budget", e);
        }
        int n = config.numBlocks();
        this.freeStack = new int[n];
        this.free = new boolean[n];
        for (int i = 0; i < n; i++) {
            freeStack[i] = n - 1 - i;  // top of the stack is block 0
            free[i] = true;
        }
        this.freeCount = n;
    }

    @Override
    public KvCacheConfig config() { return config; }

    @Override
    public synchronized int freeBlocks() { return freeCount; }

    @Override
    public synchronized int usedBlocks() { return config.numBlocks() - freeCount; }

    @Override
    public synchronized int allocateBlock() {
        if (freeCount == 0) {
            throw fullError();
        }
        int block = freeStack[--freeCount];
        free[block] = false;
        return block;
    }

    @Override
    public synchronized void freeBlock(int block) {
        checkBlock(block);
        if (free[block]) {
            throw EngineException.internal("KV block " + block + " freed twice", null);
        }
        free[block] = true;
        freeStack[freeCount++] = block;
    }

    EngineException fullError() {
        return new EngineException(ErrorCategory.UNAVAILABLE, "KV cache is full: " + config.numBlocks()
                + " blocks of " + config.blockSizeTokens() + " tokens in use");
    }

    /**
     * Stores K and V of the token at position {@code pos} of the sequence that owns {@code table},
     * for one layer; k and v hold kvHeads * headDim floats each, rounded to f16 on the way in.
     */
    public void store(int layer, BlockTable table, int pos, float[] k, int kOff, float[] v, int vOff) {
        checkLayer(layer);
        int block = blockOf(table, pos);
        int slot = pos % config.blockSizeTokens();
        int headDim = config.headDim();
        long keyStride = 2L * config.blockSizeTokens();
        for (int h = 0; h < config.kvHeads(); h++) {
            writeF16(keyOffset(block, layer, h) + 2L * slot, keyStride, k, kOff + h * headDim, headDim);
            writeF16(valueOffset(block, layer, h) + 2L * slot * headDim, 2, v, vOff + h * headDim, headDim);
        }
    }

    /** Reads back (as floats) the kvHeads * headDim keys stored for position {@code pos}. */
    public void loadKeys(int layer, BlockTable table, int pos, float[] dst, int dstOff) {
        load(layer, table, pos, dst, dstOff, 0);
    }

    /** Reads back (as floats) the kvHeads * headDim values stored for position {@code pos}. */
    public void loadValues(int layer, BlockTable table, int pos, float[] dst, int dstOff) {
        load(layer, table, pos, dst, dstOff, 1);
    }

    /** The whole pool; kernels read it through {@link #keyOffset} and {@link #valueOffset}. */
    public MemorySegment memory() { return memory; }

    /** Byte offset of the keys ([headDim][blockSize]) of {@code kvHead} of {@code layer} in {@code block}. */
    public long keyOffset(int block, int layer, int kvHead) {
        return block * bytesPerBlock + ((long) (layer * 2) * config.kvHeads() + kvHead) * bytesPerHeadBlock;
    }

    /** Byte offset of the values ([blockSize][headDim]) of {@code kvHead} of {@code layer} in {@code block}. */
    public long valueOffset(int block, int layer, int kvHead) {
        return block * bytesPerBlock + ((long) (layer * 2 + 1) * config.kvHeads() + kvHead) * bytesPerHeadBlock;
    }

    @Override
    public void exportBlock(int block, MemorySegment dst) {
        checkBlock(block);
        MemorySegment.copy(memory, block * bytesPerBlock, dst, 0, bytesPerBlock);
    }

    @Override
    public void importBlock(int block, MemorySegment src) {
        checkBlock(block);
        MemorySegment.copy(src, 0, memory, block * bytesPerBlock, bytesPerBlock);
    }

    @Override
    public void close() {
        arena.close();
    }

    private void checkBlock(int block) {
        if (block < 0 || block >= config.numBlocks()) {
            throw EngineException.internal("KV block id " + block + " is outside [0, " + config.numBlocks() + ")", null);
        }
    }

    private void load(int layer, BlockTable table, int pos, float[] dst, int dstOff, int kind) {
        checkLayer(layer);
        int block = blockOf(table, pos);
        int headDim = config.headDim();
        int slot = pos % config.blockSizeTokens();
        for (int h = 0; h < config.kvHeads(); h++) {
            long at = kind == 0 ? keyOffset(block, layer, h) + 2L * slot : valueOffset(block, layer, h) + 2L * slot * headDim;
            long stride = kind == 0 ? 2L * config.blockSizeTokens() : 2;
            for (int d = 0; d < headDim; d++) {
                dst[dstOff + h * headDim + d] = Float.float16ToFloat(memory.get(F16, at + stride * d));
            }
        }
    }

    /** n values rounded to f16 (nearest, ties to even, as ggml) at at, at + stride, ... */
    private void writeF16(long at, long stride, float[] src, int srcOff, int n) {
        for (int d = 0; d < n; d++) {
            memory.set(F16, at + stride * d, Float.floatToFloat16(src[srcOff + d]));
        }
    }

    private int blockOf(BlockTable table, int pos) {
        int index = pos / config.blockSizeTokens();
        if (pos < 0 || index >= table.blockCount()) {
            throw EngineException.internal("KV position " + pos + " is outside the sequence's "
                    + table.blockCount() + " blocks of " + config.blockSizeTokens() + " tokens", null);
        }
        return table.block(index);
    }

    private void checkLayer(int layer) {
        if (layer < 0 || layer >= config.layers()) {
            throw EngineException.internal("KV layer " + layer + " is outside [0, " + config.layers() + ")", null);
        }
    }
}
