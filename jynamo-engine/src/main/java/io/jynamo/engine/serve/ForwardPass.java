package io.jynamo.engine.serve;

import io.jynamo.engine.exec.StepPlan;

/**
 * One step's forward pass, as {@link io.jynamo.engine.exec.Executor#run} runs it: the plan's tokens
 * in, logits row i for the plan's {@code logitRow(i)} out. A seam so tests can make a step fail and
 * check that the engine frees what the failed sequences held and keeps serving.
 */
@FunctionalInterface
interface ForwardPass {
    void run(StepPlan plan, float[] logits);
}
