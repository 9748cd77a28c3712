package io.jynamo.engine.serve;

import io.jynamo.api.ErrorCategory;
import io.jynamo.engine.EngineException;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Work that must run on the step thread because it touches what that thread owns (the block store,
 * the block manager), asked for from any thread: {@link #call} queues a command and waits for its
 * result; the step loop runs the queued commands between steps ({@link #runAll}). The queue is
 * bounded: when it is full, call refuses with UNAVAILABLE. When the loop has stopped, commands
 * still queued fail with UNAVAILABLE instead of waiting forever.
 */
final class StepCommands {
    private record Command<T>(Supplier<T> work, CompletableFuture<T> done) {
        void run() {
            try {
                done.complete(work.get());
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        }
    }

    private final ArrayBlockingQueue<Command<?>> queue;
    private final BooleanSupplier loopAlive;

    StepCommands(int capacity, BooleanSupplier loopAlive) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.loopAlive = loopAlive;
    }

    /** Runs {@code work} on the step thread between two steps and returns its result (or throws its exception). */
    <T> T call(Supplier<T> work) {
        Command<T> c = new Command<>(work, new CompletableFuture<>());
        if (!queue.offer(c)) {
            throw new EngineException(ErrorCategory.UNAVAILABLE, "the engine's command queue is full ("
                    + (queue.size() + queue.remainingCapacity()) + "); retry later");
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return c.done().get(20, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (!loopAlive.getAsBoolean()) {
                        failAll();
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw EngineException.internal("an engine command failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Step thread: runs every queued command. */
    void runAll() {
        Command<?> c;
        while ((c = queue.poll()) != null) {
            c.run();
        }
    }

    /** Fails every queued command (the step loop has stopped). */
    void failAll() {
        Command<?> c;
        while ((c = queue.poll()) != null) {
            c.done().completeExceptionally(new EngineException(ErrorCategory.UNAVAILABLE, "the engine is closed"));
        }
    }
}
