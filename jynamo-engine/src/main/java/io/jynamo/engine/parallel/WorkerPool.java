package io.jynamo.engine.parallel;

import io.jynamo.engine.EngineException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine's compute threads. Work is split into chunks that threads take as they come free, so a
 * thread slowed by a neighbour process does not stall the step; idle threads spin briefly, then park.
 *
 * <p>One loop runs at a time. Its chunks are claimed by CAS on one word holding (generation, chunk
 * count, next chunk), so a worker that wakes late can never claim a chunk of the wrong loop.
 * A call from inside a body, or from a second thread while a loop runs, runs inline instead.
 */
public final class WorkerPool implements AutoCloseable {
    /** Body of a parallel loop over a half-open range. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** How long an idle worker spins before parking; about one short matmul. */
    private static final long SPIN_NANOS = 50_000;
    /** Chunks per thread: enough that a descheduled thread's share is taken by the others. */
    private static final int CHUNKS_PER_THREAD = 4;
    /** Keeps threads * CHUNKS_PER_THREAD within the claim word's 16-bit chunk count. */
    private static final int MAX_THREADS = 4096;

    private final int threads;
    private final Thread[] workers;
    private final AtomicBoolean[] parked;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile boolean closed;

    // The current loop. Written by the caller before it publishes a new generation in `claim`.
    private RangeBody body;
    private int n;
    private int chunk;
    /** Bits 63..32: generation; 31..16: chunk count; 15..0: next chunk index to claim. */
    private final AtomicLong claim = new AtomicLong();
    private volatile int generation;
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile Thread waitingCaller;

    public WorkerPool(int threads) {
        if (threads < 1 || threads > MAX_THREADS) {
            throw EngineException.badInput("a worker pool needs 1 to " + MAX_THREADS + " threads, got " + threads);
        }
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        this.parked = new AtomicBoolean[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            parked[i] = new AtomicBoolean();
            int id = i;
            workers[i] = Thread.ofPlatform().daemon().name("jynamo-compute-" + (i + 1)).unstarted(() -> workLoop(id));
            workers[i].start();
        }
    }

    public int threads() {
        return threads;
    }

    /** Runs body over [0, n) in chunks of at least {@code grain}; the calling thread takes part; returns when all is done. */
    public void parallelFor(int n, int grain, RangeBody body) {
        if (body == null || n < 0) {
            throw EngineException.badInput("a parallel loop needs a body and a range of at least 0, got " + n);
        }
        if (n == 0) {
            return;
        }
        int g = Math.max(1, grain);
        if (threads == 1 || n <= g || closed || !busy.compareAndSet(false, true)) {
            body.run(0, n);
            return;
        }
        try {
            runParallel(n, g, body);
        } finally {
            this.body = null;
            busy.set(false);
        }
    }

    private void runParallel(int n, int grain, RangeBody body) {
        // At most threads * CHUNKS_PER_THREAD chunks, so the count fits the claim word's 16 bits.
        int size = Math.max(grain, ceilDiv(n, threads * CHUNKS_PER_THREAD));
        int total = ceilDiv(n, size);
        this.body = body;
        this.n = n;
        this.chunk = size;
        done.set(0);
        failure.set(null);
        int gen = generation + 1;
        claim.set(((long) gen << 32) | ((long) total << 16));
        generation = gen;
        for (int i = 0; i < workers.length; i++) {
            if (parked[i].get()) {
                LockSupport.unpark(workers[i]);
            }
        }
        runChunks(gen);
        awaitChunks(total);
        Throwable t = failure.get();
        if (t != null) {
            failure.set(null);
            rethrow(t);
        }
    }

    /**
     * Claims and runs chunks of generation {@code gen} until none are left. The loop's fields are
     * read only after a claim succeeds: the caller cannot start another loop while a claimed chunk
     * is unfinished, so they are this loop's fields.
     */
    private void runChunks(int gen) {
        while (true) {
            long c = claim.get();
            int total = (int) (c >>> 16) & 0xFFFF;
            int next = (int) c & 0xFFFF;
            if ((int) (c >>> 32) != gen || next >= total) {
                return;
            }
            if (!claim.compareAndSet(c, c + 1)) {
                continue;
            }
            int from = next * chunk;
            try {
                if (failure.get() == null) {
                    body.run(from, Math.min(n, from + chunk));
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
            if (done.incrementAndGet() == total) {
                Thread waiter = waitingCaller;
                if (waiter != null) {
                    LockSupport.unpark(waiter);
                }
            }
        }
    }

    /** The caller waits for chunks others still run: spins first, then parks until the last one ends. */
    private void awaitChunks(int total) {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (done.get() < total) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                waitingCaller = Thread.currentThread();
                if (done.get() < total) {
                    LockSupport.parkNanos(this, TimeUnit.MICROSECONDS.toNanos(200));
                }
                waitingCaller = null;
            }
        }
    }

    private void workLoop(int id) {
        int seen = 0;
        while (!closed) {
            int gen = awaitGeneration(id, seen);
            if (gen == seen) {
                continue;
            }
            seen = gen;
            runChunks(gen);
        }
    }

    /** Spins, then parks, until a generation other than {@code seen} is published or the pool closes. */
    private int awaitGeneration(int id, int seen) {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (true) {
            int gen = generation;
            if (gen != seen || closed) {
                return gen;
            }
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
                continue;
            }
            parked[id].set(true);
            if (generation == seen && !closed) {
                LockSupport.park(this);
            }
            parked[id].set(false);
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static void rethrow(Throwable t) {
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw EngineException.internal("a parallel loop body failed: " + t, t);
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        for (Thread w : workers) {
            try {
                w.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
