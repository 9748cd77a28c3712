package io.jynamo.engine.serve;

import io.jynamo.api.kv.BlockHashes;
import io.jynamo.engine.exec.StepPlan;
import io.jynamo.engine.kv.BlockManager;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decides, each step, which tokens of which sequences run: first the running sequences in the order
 * they were admitted (a decode token each, or the next chunk of an unfinished prompt), then waiting
 * sequences, first come first served, while sequences, tokens and KV blocks allow. When a running
 * sequence needs a block and none is left, the most recently admitted one is preempted: its blocks
 * are released and it goes back to the front of the queue, to be recomputed later (blocks it
 * committed usually come back from the prefix cache). The head of the queue blocks those behind it,
 * so nobody starves. What it decided goes out as the step's {@link StepPlan}, allocated once and
 * refilled each step. Step thread only.
 */
final class Scheduler {
    private final BlockManager blocks;
    private final int blockSize;
    private final int maxSeqs;
    private final int maxTokens;
    final List<Sequence> running = new ArrayList<>();
    final ArrayDeque<Sequence> waiting = new ArrayDeque<>();
    private final StepPlan plan;
    /** The sequence of each logits row of the current plan. */
    final Sequence[] sampled;
    private long admissions;
    long preemptions;
    long promptTokens;
    long cachedPromptTokens;

    Scheduler(BlockManager blocks, int blockSize, int maxSeqs, int maxBatchedTokens) {
        this.blocks = blocks;
        this.blockSize = blockSize;
        this.maxSeqs = maxSeqs;
        this.maxTokens = maxBatchedTokens;
        this.plan = new StepPlan(maxBatchedTokens, maxSeqs);
        this.sampled = new Sequence[Math.min(maxSeqs, maxBatchedTokens)];
    }

    /**
     * Decides this step and returns its plan (empty when there is nothing to run); the sequence of
     * logits row i is {@code sampled[i]}.
     */
    StepPlan schedule() {
        plan.clear();
        if (scheduleTokens() == 0) {
            return plan;
        }
        for (Sequence s : running) {
            if (s.scheduled > 0) {
                boolean logits = s.samplesThisStep();
                if (logits) {
                    sampled[plan.logitCount()] = s;
                }
                plan.addSlice(s.tokens, s.computed, s.scheduled, s.table, logits);
            }
        }
        return plan;
    }

    /**
     * Sets {@link Sequence#scheduled} for this step; returns the tokens scheduled. Decodes go first,
     * so a long prompt being prefilled in chunks never holds up the sequences already generating.
     */
    private int scheduleTokens() {
        for (Sequence s : running) {
            s.scheduled = 0;
        }
        int budget = maxTokens;
        boolean preempted = false;
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < running.size() && budget > 0; i++) {
                Sequence s = running.get(i);
                boolean decode = s.length - s.computed == 1;
                if (decode != (pass == 0)) {
                    continue;
                }
                int want = Math.min(s.length - s.computed, budget);
                while (want > 0 && !reserve(s, s.computed + want)) {
                    Sequence victim = running.getLast();
                    budget += victim.scheduled;
                    preempt(victim);
                    preempted = true;
                    if (victim == s) {
                        want = 0;
                    }
                }
                s.scheduled = want;
                budget -= want;
            }
        }
        if (!preempted) {
            budget = admit(budget);
        }
        return maxTokens - budget;
    }

    private int admit(int budget) {
        while (budget > 0 && !waiting.isEmpty() && running.size() < maxSeqs) {
            Sequence s = waiting.peekFirst();
            if (!siblingReady(s)) {
                break;
            }
            int cached = acquirePrefix(s);
            int want = Math.min(s.length - s.computed, budget);
            if (!reserve(s, s.computed + want)) {
                releaseBlocks(s);
                break;
            }
            waiting.pollFirst();
            s.scheduled = want;
            s.admittedAt = admissions++;
            running.add(s);
            budget -= want;
            if (!s.everAdmitted) {
                s.everAdmitted = true;
                int hit = Math.min(cached, s.promptLength);
                promptTokens += s.promptLength;
                cachedPromptTokens += hit;
                if (s.index == 0) {
                    s.request.stream.cachedPromptTokens(hit);
                }
            }
        }
        return budget;
    }

    /**
     * Sequences 1.. of an n &gt; 1 request start once sequence 0 has computed the prompt, so that they
     * find its full blocks in the prefix cache and compute only the partial tail.
     */
    private static boolean siblingReady(Sequence s) {
        if (s.index == 0 || s.everAdmitted) {
            return true;
        }
        Sequence first = s.request.sequences[0];
        return first.finished || first.computed >= first.promptLength;
    }

    /** Takes the cached leading blocks of the sequence's tokens, always leaving one token to compute. */
    private int acquirePrefix(Sequence s) {
        int full = (s.length - 1) / blockSize;
        if (full == 0) {
            return 0;
        }
        long[] hashes = BlockHashes.sequenceHashes(Arrays.copyOf(s.tokens, full * blockSize), blockSize);
        int[] found = blocks.acquirePrefix(hashes);
        for (int b : found) {
            s.table.add(b);
        }
        System.arraycopy(hashes, 0, s.sequenceHashes, 0, found.length);
        s.hashed = found.length;
        s.computed = found.length * blockSize;
        return s.computed;
    }

    /** Gives the sequence blocks for {@code tokens} positions, all or nothing. */
    private boolean reserve(Sequence s, int tokens) {
        int needed = (tokens + blockSize - 1) / blockSize - s.table.blockCount();
        if (needed > blocks.availableBlocks()) {
            return false;
        }
        for (int i = 0; i < needed; i++) {
            s.table.add(blocks.allocate());
        }
        return true;
    }

    private void preempt(Sequence s) {
        running.remove(s);
        releaseBlocks(s);
        s.scheduled = 0;
        waiting.addFirst(s);
        preemptions++;
    }

    /** Publishes every block the step filled, so later prompts (and this one after preemption) reuse it. */
    void commitFullBlocks(Sequence s) {
        while ((s.hashed + 1) * blockSize <= s.computed) {
            int b = s.hashed;
            long blockHash = BlockHashes.blockHash(s.tokens, b * blockSize, blockSize);
            Long parent = b == 0 ? null : s.sequenceHashes[b - 1];
            long hash = b == 0 ? blockHash : BlockHashes.sequenceHash(parent, blockHash);
            s.sequenceHashes[b] = hash;
            blocks.commit(s.table.block(b), hash, blockHash, parent);
            s.hashed++;
        }
    }

    /** Drops a sequence wherever it is and releases its blocks (cached ones stay evictable). */
    void remove(Sequence s) {
        if (!running.remove(s)) {
            waiting.remove(s);
        }
        releaseBlocks(s);
        s.finished = true;
    }

    void releaseBlocks(Sequence s) {
        for (int i = s.table.blockCount() - 1; i >= 0; i--) {
            blocks.release(s.table.block(i));
        }
        s.table.clear();
        s.computed = 0;
        s.hashed = 0;
    }
}
