/**
 * The engine's parallelism: {@link io.jynamo.engine.parallel.WorkerPool}, a small persistent pool of
 * compute threads that runs parallel loops over row ranges inside one rank, and
 * {@link io.jynamo.engine.parallel.Collectives}, how the ranks of one engine (tensor parallelism)
 * exchange partial results, with the single-rank implementation.
 */
package io.jynamo.engine.parallel;
