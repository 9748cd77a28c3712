package io.jynamo.engine.parallel;

/**
 * How one engine's ranks (tensor-parallel shards) meet: every rank calls the same operation in the
 * same order with buffers of the same shape, and each call returns when the rank has its result.
 * Implementations: {@link SingleRankCollectives} now; shared memory between local CPU ranks, TCP
 * between nodes and NCCL between GPUs later. Called from the rank's step thread only.
 */
public interface Collectives {
    /** This rank, in [0, {@link #worldSize()}). */
    int rank();

    /** Ranks taking part. */
    int worldSize();

    /** buf[off .. off+len) becomes, on every rank, the element-wise sum over all ranks (row-parallel matmuls). */
    void allReduceSum(float[] buf, int off, int len);

    /**
     * Rank r contributes buf[off + r*len .. off + (r+1)*len); afterwards every rank holds every
     * rank's part in that layout (column-parallel outputs such as a vocabulary-sharded logits row).
     */
    void allGather(float[] buf, int off, int len);

    /** Every rank gets {@code root}'s buf[off .. off+len) (the leader's step plan). */
    void broadcast(int[] buf, int off, int len, int root);
}
