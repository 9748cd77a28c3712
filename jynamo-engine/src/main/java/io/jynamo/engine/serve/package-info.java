/**
 * The serving engine behind {@link io.jynamo.api.engine.Engine}: a step loop on one platform thread that
 * batches every running sequence into one forward pass (continuous batching, chunked prefill), with
 * a prefix cache of KV blocks, preemption by recomputation when blocks run out, and per-request
 * output streams the engine never waits on. Each step: the scheduler emits a
 * {@link io.jynamo.engine.exec.StepPlan}, the {@link io.jynamo.engine.exec.Executor} runs it, the
 * filled blocks are committed, the sequences that reached their end sample and emit. KV export and
 * import run on the step thread too, between steps, through a bounded command queue.
 */
package io.jynamo.engine.serve;
