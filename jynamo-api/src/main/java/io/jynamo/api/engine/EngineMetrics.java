package io.jynamo.api.engine;

/**
 * What the engine reports about itself, as of the end of a step.
 *
 * @param running         sequences being scheduled
 * @param waiting         sequences queued (new or preempted)
 * @param kvBlocksUsed    KV blocks referenced by sequences (cached blocks nobody uses are not counted)
 * @param kvBlocksCached  blocks in the prefix cache (in use or evictable)
 * @param kvBlocksTotal   blocks in the pool
 * @param prefixHitRate   prompt tokens found in the prefix cache / prompt tokens scheduled
 * @param cachedPromptTokens prompt tokens found in the prefix cache
 * @param promptTokens    prompt tokens scheduled (each sequence counted once)
 * @param tokensGenerated tokens sampled
 * @param preemptions     sequences preempted for lack of KV blocks
 * @param steps           forward passes run
 * @param meanStepMs      mean duration of a step
 */
public record EngineMetrics(int running, int waiting, int kvBlocksUsed, int kvBlocksCached, int kvBlocksTotal,
                            double prefixHitRate, long cachedPromptTokens, long promptTokens, long tokensGenerated,
                            long preemptions, long steps, double meanStepMs) {
}
