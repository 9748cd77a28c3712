package io.jynamo.engine.parallel;

/**
 * The engine's compute threads. Work is split into chunks that threads take as they come free, so a
 * thread slowed by a neighbour process does not stall the step; idle threads spin briefly, then park.
 */
public final class WorkerPool implements AutoCloseable {
    /** Body of a parallel loop over a half-open range. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    public WorkerPool(int threads) {
        throw new UnsupportedOperationException("SKELETON: implemented by the kernels helper");
    }

    public int threads() {
        throw new UnsupportedOperationException("SKELETON");
    }

    /** Runs body over [0, n) in chunks of at least {@code grain}; the calling thread takes part; returns when all is done. */
    public void parallelFor(int n, int grain, RangeBody body) {
        throw new UnsupportedOperationException("SKELETON");
    }

    @Override
    public void close() {}
}
