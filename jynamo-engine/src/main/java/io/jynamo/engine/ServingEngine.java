package io.jynamo.engine;

import io.jynamo.api.engine.Engine;

/**
 * A serving engine that runs a model (as {@link Engines#start} gives one): the {@link Engine}
 * contract, plus what a worker needs beside it: warm-up, step timings, the context length it serves,
 * and moving the KV blocks of a prompt between engines.
 */
public interface ServingEngine extends Engine {
    /**
     * Runs small batches of synthetic requests until the JIT has compiled the step's paths or the
     * budget is spent; returns the time taken. Leaves nothing in the prefix cache and publishes no KV event.
     */
    long warmUp(long budgetNanos) throws InterruptedException;

    /** Where the step thread's time went so far. */
    StepProfile profile();

    /** Context length the engine serves. */
    int contextLength();

    /**
     * Copies out the KV blocks of {@code promptTokens}' leading full blocks that this engine's prefix
     * cache holds (the longest cached run from the first block; none when the first is not cached).
     * Runs on the engine's step thread, between steps; the caller waits for it.
     */
    KvBlocks exportPrefix(int[] promptTokens);

    /**
     * Writes {@code blocks} into this engine's pool and registers them in its prefix cache under
     * their sequence hashes, publishing a KV stored event for each block newly cached, as a step
     * that computed them would; a later prompt that starts with those tokens computes only the rest.
     * Runs on the engine's step thread, between steps; the caller waits for it. Returns the leading
     * blocks now cached (fewer than given when the pool has no room for more).
     */
    int importPrefix(KvBlocks blocks);

    /**
     * Where the step thread's time went, for measuring what scheduling and sampling cost beside the
     * forward pass. Read from any thread; the counters only grow.
     *
     * @param steps        steps that ran a batch
     * @param stepNanos    time in those steps (scheduling, batch building, forward pass, sampling, emitting)
     * @param forwardNanos of that, time in the forward pass
     */
    record StepProfile(long steps, long stepNanos, long forwardNanos) {
        /** The share of step time spent outside the forward pass, between two profiles. */
        public double overheadSince(StepProfile earlier) {
            long step = stepNanos - earlier.stepNanos;
            return step == 0 ? 0 : (double) (step - (forwardNanos - earlier.forwardNanos)) / step;
        }
    }
}
