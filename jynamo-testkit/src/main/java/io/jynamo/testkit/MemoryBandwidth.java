package io.jynamo.testkit;

import io.jynamo.engine.EngineException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures how fast this machine streams memory into vector registers: the ceiling of CPU decode,
 * which reads every weight once per token. Reads an off-heap buffer larger than the caches with
 * FloatVector loads, split across platform threads, and keeps the best of several passes.
 *
 * <p>Run it as {@code java --add-modules jdk.incubator.vector -cp <testkit, engine and api jars>
 * io.jynamo.testkit.MemoryBandwidth --threads 2}; it prints {@code {"threads":2,"read_gbps":32.6}}.
 */
public final class MemoryBandwidth {
    public static final long DEFAULT_BYTES = 1L << 30;
    public static final int DEFAULT_REPEATS = 10;

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Four independent accumulators keep enough loads in flight to saturate memory, not the adder. */
    private static final int UNROLL = 4;
    private static final long STRIDE = (long) SPECIES.vectorByteSize() * UNROLL;
    private static final long MIN_BYTES = 1L << 20;

    /** Written with every pass's sum, so the JIT cannot drop the loads as dead code. */
    private static volatile double sink;

    private MemoryBandwidth() {}

    /**
     * Best read bandwidth over {@code repeats} passes, in GB/s (10^9 bytes per second).
     *
     * @param threads platform threads that each read an equal slice
     * @param bytes buffer size; make it several times the last-level cache (1 GiB is the default)
     * @param repeats passes over the whole buffer; the fastest counts
     */
    public static double readGBps(int threads, long bytes, int repeats) {
        if (threads < 1 || threads > 1024) throw EngineException.badInput("memory bandwidth: threads must be 1..1024, got " + threads);
        if (repeats < 1) throw EngineException.badInput("memory bandwidth: repeats must be at least 1, got " + repeats);
        long slice = bytes / threads / STRIDE * STRIDE;
        if (bytes < MIN_BYTES || slice == 0) throw EngineException.badInput("memory bandwidth: buffer of " + bytes + " bytes is too small; use at least " + MIN_BYTES);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment buffer = arena.allocate(slice * threads, 64);
            // Write every page first: untouched pages all map the kernel's one zero page, which caches.
            buffer.fill((byte) 0x3c);
            warmUp(buffer);
            return bestOf(buffer, threads, slice, repeats);
        }
    }

    /** Gets the read loop compiled by C2 on a small slice, so the first timed pass is not interpreted. */
    private static void warmUp(MemorySegment buffer) {
        long length = Math.min(buffer.byteSize(), MIN_BYTES) / STRIDE * STRIDE;
        double total = 0;
        for (int i = 0; i < 2_000; i++) {
            total += sum(buffer, 0, length);
        }
        sink = total;
    }

    private static double bestOf(MemorySegment buffer, int threads, long slice, int repeats) {
        // Workers and the timing thread meet at the barrier before and after each pass, so thread
        // start-up is outside the timed window.
        CyclicBarrier barrier = new CyclicBarrier(threads + 1);
        List<Thread> workers = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            long from = t * slice;
            workers.add(Thread.ofPlatform().name("membw-" + t).daemon().start(() -> readPasses(buffer, from, from + slice, repeats, barrier)));
        }
        double bestSeconds = Double.MAX_VALUE;
        try {
            for (int r = 0; r < repeats; r++) {
                barrier.await();
                long start = System.nanoTime();
                barrier.await();
                bestSeconds = Math.min(bestSeconds, (System.nanoTime() - start) / 1e9);
            }
            for (Thread worker : workers) {
                worker.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.forEach(Thread::interrupt);
            throw EngineException.internal("memory bandwidth: interrupted", e);
        } catch (BrokenBarrierException e) {
            throw EngineException.internal("memory bandwidth: a reader thread failed", e);
        }
        return slice * threads / bestSeconds / 1e9;
    }

    private static void readPasses(MemorySegment buffer, long from, long to, int repeats, CyclicBarrier barrier) {
        try {
            for (int r = 0; r < repeats; r++) {
                barrier.await();
                double total = sum(buffer, from, to);
                barrier.await();
                sink = total;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            barrier.reset();
        } catch (BrokenBarrierException e) {
            // The timing thread gave up; nothing left to measure.
        }
    }

    /** Sum of the floats in [from, to); both multiples of {@link #STRIDE}. */
    static double sum(MemorySegment buffer, long from, long to) {
        ByteOrder order = ByteOrder.nativeOrder();
        long width = SPECIES.vectorByteSize();
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = FloatVector.zero(SPECIES);
        FloatVector a2 = FloatVector.zero(SPECIES);
        FloatVector a3 = FloatVector.zero(SPECIES);
        for (long offset = from; offset < to; offset += STRIDE) {
            a0 = a0.add(FloatVector.fromMemorySegment(SPECIES, buffer, offset, order));
            a1 = a1.add(FloatVector.fromMemorySegment(SPECIES, buffer, offset + width, order));
            a2 = a2.add(FloatVector.fromMemorySegment(SPECIES, buffer, offset + 2 * width, order));
            a3 = a3.add(FloatVector.fromMemorySegment(SPECIES, buffer, offset + 3 * width, order));
        }
        return a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
    }

    /** {@code [--threads T | T] [--mib M | --bytes N] [--repeats R]}; prints one JSON line. */
    public static void main(String[] args) {
        try {
            Options options = Options.parse(args);
            double gbps = readGBps(options.threads(), options.bytes(), options.repeats());
            System.out.println(String.format(Locale.ROOT, "{\"threads\":%d,\"read_gbps\":%.2f}", options.threads(), gbps));
        } catch (EngineException e) {
            System.err.println("membw: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Command-line settings of {@link #main}. */
    record Options(int threads, long bytes, int repeats) {
        static Options parse(String[] args) {
            int threads = 1;
            long bytes = DEFAULT_BYTES;
            int repeats = DEFAULT_REPEATS;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--threads", "-t" -> threads = (int) number(arg, value(args, ++i, arg));
                    case "--bytes" -> bytes = number(arg, value(args, ++i, arg));
                    case "--mib" -> bytes = number(arg, value(args, ++i, arg)) << 20;
                    case "--repeats" -> repeats = (int) number(arg, value(args, ++i, arg));
                    default -> {
                        if (arg.startsWith("-")) throw EngineException.badInput("unknown option " + arg + "; expected --threads, --mib, --bytes or --repeats");
                        threads = (int) number("threads", arg);
                    }
                }
            }
            return new Options(threads, bytes, repeats);
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length) throw EngineException.badInput(option + " needs a value");
            return args[index];
        }

        private static long number(String option, String text) {
            try {
                long value = Long.parseLong(text.strip());
                if (value < 1 || (value > Integer.MAX_VALUE && !option.equals("--bytes"))) throw new NumberFormatException();
                return value;
            } catch (NumberFormatException e) {
                throw EngineException.badInput(option + ": '" + text + "' is not a positive whole number");
            }
        }
    }
}
