package io.jynamo.engine.exec;

import io.jynamo.engine.kv.BlockStore;
import io.jynamo.engine.model.forward.Transformer;
import io.jynamo.engine.parallel.Collectives;

/**
 * Runs step plans on one rank: the plan's forward pass on the rank's backend (inside the
 * {@link Transformer}) over its weights and its {@link BlockStore}, joining the other ranks through
 * {@link Collectives}. One per rank, called from its step thread.
 *
 * <p>Only a single rank runs today: a tensor-parallel executor will first broadcast the leader's
 * plan (tokens, positions, block ids, logit rows) to the other ranks and gather the logits rows of
 * a vocabulary-sharded output; the forward pass already sums its row-parallel matmuls over the ranks.
 */
public final class Executor {
    private final Transformer transformer;
    private final BlockStore store;

    public Executor(Transformer transformer, BlockStore store, Collectives collectives) {
        if (collectives.worldSize() != 1) {
            throw new UnsupportedOperationException("tensor parallelism is not implemented yet: "
                    + collectives.worldSize() + " ranks");
        }
        this.transformer = transformer;
        this.store = store;
    }

    /** Runs the plan; logits row i (vocabSize floats at i * vocabSize) is the plan's {@code logitRow(i)}. */
    public void run(StepPlan plan, float[] logits) {
        transformer.forward(plan.batchSize, plan.tokens, plan.positions, plan.tables, store, plan.logitCount,
                plan.logitRows, logits);
    }

    public int vocabSize() {
        return transformer.config().vocabSize();
    }

    /** Most tokens one plan may hold. */
    public int maxBatchTokens() {
        return transformer.maxBatchTokens();
    }
}
