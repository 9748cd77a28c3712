package io.jynamo.engine.serve;

import io.jynamo.engine.kv.BlockTable;
import io.jynamo.engine.kv.KvCache;

/**
 * One step's forward pass over a mixed batch, as {@code Transformer.forward} runs it. A seam so tests
 * can make a step fail and check that the engine frees what the failed sequences held and keeps serving.
 */
@FunctionalInterface
interface ForwardPass {
    void run(int n, int[] tokens, int[] positions, BlockTable[] tables, KvCache cache, int nLogits, int[] logitRows,
             float[] logits);
}
