package io.jynamo.api.kv;

/**
 * KV block and sequence hashes as engines and routers compute them (ARCHITECTURE.md §5). Tokens are cut
 * into blocks of {@code blockSize}; a partial tail block is not hashed. A block's hash is XXH3-64 (seed
 * {@link #SEED}) of its token ids as little-endian u32. Block 0's sequence hash is its block hash; block
 * i's is XXH3-64 (seed {@link #SEED}) of the 16 bytes (little-endian u64 sequence hash of block i-1,
 * little-endian u64 block hash of block i), so it names the whole prefix up to and including block i.
 *
 * <p>Hashes are unsigned 64-bit values held in {@code long}s. Invalid arguments are programming errors and
 * throw {@link IllegalArgumentException}.
 */
public final class BlockHashes {
    /** The seed every hash here uses. */
    public static final long SEED = 1337;
    /** Tokens per block unless a model's configuration says otherwise. */
    public static final int DEFAULT_BLOCK_SIZE = 16;

    private BlockHashes() {}

    /** Hashes of each full block of {@code tokens}, in order. */
    public static long[] blockHashes(int[] tokens, int blockSize) {
        checkTokens(tokens, blockSize);
        long[] hashes = new long[tokens.length / blockSize];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = Xxh3.hashTokensLe32(tokens, i * blockSize, blockSize, SEED);
        }
        return hashes;
    }

    /** Chains block hashes into sequence hashes; the result has the same length. */
    public static long[] sequenceHashes(long[] blockHashes) {
        if (blockHashes == null) {
            throw new IllegalArgumentException("block hashes are null");
        }
        long[] sequence = new long[blockHashes.length];
        long parent = 0;
        for (int i = 0; i < sequence.length; i++) {
            parent = i == 0 ? blockHashes[0] : sequenceHash(parent, blockHashes[i]);
            sequence[i] = parent;
        }
        return sequence;
    }

    /** Sequence hashes of each full block of {@code tokens}, in order. */
    public static long[] sequenceHashes(int[] tokens, int blockSize) {
        return sequenceHashes(blockHashes(tokens, blockSize));
    }

    /** Hash of the block {@code tokens[off, off + blockSize)}, for callers that hash blocks as they fill. */
    public static long blockHash(int[] tokens, int off, int blockSize) {
        checkBlockSize(blockSize);
        return Xxh3.hashTokensLe32(tokens, off, blockSize, SEED);
    }

    /** Sequence hash of a block (not the first) given its parent's sequence hash and its own block hash. */
    public static long sequenceHash(long parentSequenceHash, long blockHash) {
        return Xxh3.hash64(parentSequenceHash, blockHash, SEED);
    }

    private static void checkTokens(int[] tokens, int blockSize) {
        if (tokens == null) {
            throw new IllegalArgumentException("tokens are null");
        }
        checkBlockSize(blockSize);
    }

    private static void checkBlockSize(int blockSize) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("KV block size " + blockSize + " is below 1 token");
        }
    }
}
