package io.jynamo.engine.parallel;

/**
 * The collectives of an engine that is one rank: each rank's part is already the whole, so every
 * operation leaves its buffer as it is.
 */
public final class SingleRankCollectives implements Collectives {
    /** The one instance; it holds no state. */
    public static final SingleRankCollectives INSTANCE = new SingleRankCollectives();

    private SingleRankCollectives() {}

    @Override
    public int rank() {
        return 0;
    }

    @Override
    public int worldSize() {
        return 1;
    }

    @Override
    public void allReduceSum(float[] buf, int off, int len) {
        // The sum over one rank is its own buffer.
    }

    @Override
    public void allGather(float[] buf, int off, int len) {
        // Rank 0's part is already in place and there is no other.
    }

    @Override
    public void broadcast(int[] buf, int off, int len, int root) {
        if (root != 0) {
            throw new IllegalArgumentException("broadcast from rank " + root + " among 1 rank");
        }
    }
}
