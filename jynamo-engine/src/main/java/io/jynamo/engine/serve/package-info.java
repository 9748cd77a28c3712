/**
 * The serving engine behind {@link io.jynamo.api.engine.Engine}: a step loop on one platform thread that
 * batches every running sequence into one forward pass (continuous batching, chunked prefill), with
 * a prefix cache of KV blocks, preemption by recomputation when blocks run out, and per-request
 * output streams the engine never waits on.
 */
package io.jynamo.engine.serve;
