/**
 * Execution of engine steps: the {@link io.jynamo.engine.exec.StepPlan} the scheduler emits once per
 * step (sequences, token slices, positions, block tables, which rows need logits), and the
 * {@link io.jynamo.engine.exec.Executor} that runs a plan's forward pass on one rank's backend.
 */
package io.jynamo.engine.exec;
