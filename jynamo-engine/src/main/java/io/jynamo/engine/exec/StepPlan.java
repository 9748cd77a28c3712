package io.jynamo.engine.exec;

import io.jynamo.engine.kv.BlockTable;

import java.util.Arrays;

/**
 * What one engine step computes, as the scheduler decided it: for each scheduled sequence a slice
 * of consecutive tokens at consecutive positions, with the sequence's block table, and whether the
 * slice's last token needs logits (it reaches the end of what the sequence knows, so the step samples
 * its next token). Flattened into the per-token arrays the forward pass reads: token t is
 * {@code token(t)} at {@code position(t)} in {@code table(t)}'s blocks; logits row i is token
 * {@code logitRow(i)}.
 *
 * <p>Allocated once per engine, for the largest step, and refilled every step: steady-state steps
 * allocate nothing. Written by the scheduler and read by the executor, both on the step thread.
 */
public final class StepPlan {
    final int[] tokens;
    final int[] positions;
    final BlockTable[] tables;
    final int[] logitRows;
    private final int[] sliceStart;
    private final int[] sliceLength;
    int batchSize;
    int logitCount;
    private int slices;

    /**
     * @param maxTokens    most tokens in one step
     * @param maxSequences most sequences in one step
     */
    public StepPlan(int maxTokens, int maxSequences) {
        if (maxTokens < 1 || maxSequences < 1) {
            throw new IllegalArgumentException("a step plan holds at least one token of one sequence, got "
                    + maxTokens + " tokens of " + maxSequences + " sequences");
        }
        tokens = new int[maxTokens];
        positions = new int[maxTokens];
        tables = new BlockTable[maxTokens];
        int maxLogits = Math.min(maxSequences, maxTokens);
        logitRows = new int[maxLogits];
        sliceStart = new int[maxSequences];
        sliceLength = new int[maxSequences];
    }

    /** Empties the plan (and drops its references to block tables). */
    public void clear() {
        Arrays.fill(tables, 0, batchSize, null);
        batchSize = 0;
        logitCount = 0;
        slices = 0;
    }

    /**
     * Appends {@code count} tokens of a sequence, {@code sequenceTokens[from ..]} at positions
     * {@code from ..}; when {@code needsLogits}, the last of them gets the next logits row.
     */
    public void addSlice(int[] sequenceTokens, int from, int count, BlockTable table, boolean needsLogits) {
        if (count < 1 || batchSize + count > tokens.length || slices == sliceStart.length) {
            throw new IllegalStateException("a slice of " + count + " tokens does not fit a plan of " + batchSize
                    + " of " + tokens.length + " tokens and " + slices + " of " + sliceStart.length + " sequences");
        }
        sliceStart[slices] = batchSize;
        sliceLength[slices++] = count;
        for (int t = 0; t < count; t++) {
            tokens[batchSize] = sequenceTokens[from + t];
            positions[batchSize] = from + t;
            tables[batchSize++] = table;
        }
        if (needsLogits) {
            logitRows[logitCount++] = batchSize - 1;
        }
    }

    public boolean isEmpty() {
        return batchSize == 0;
    }

    /** Tokens in the step. */
    public int batchSize() {
        return batchSize;
    }

    public int token(int t) {
        return tokens[t];
    }

    public int position(int t) {
        return positions[t];
    }

    public BlockTable table(int t) {
        return tables[t];
    }

    /** Rows of logits the step yields (one per sampling sequence, in slice order). */
    public int logitCount() {
        return logitCount;
    }

    /** The token whose logits are row {@code i}. */
    public int logitRow(int i) {
        return logitRows[i];
    }

    /** Sequences in the step. */
    public int slices() {
        return slices;
    }

    /** Index of slice s's first token. */
    public int sliceStart(int s) {
        return sliceStart[s];
    }

    public int sliceLength(int s) {
        return sliceLength[s];
    }
}
