package io.jynamo.engine.serve;

import io.jynamo.engine.kv.BlockTable;
import io.jynamo.engine.sample.Sampler;
import io.jynamo.engine.sample.TokenHistory;

/**
 * One sequence of a request as the scheduler sees it: its tokens (prompt, then output), how many of
 * them have KV in the cache ({@code computed}), its blocks and the sequence hashes of its full,
 * committed blocks. Preemption drops the blocks and the computed count but keeps the tokens, the
 * sampler and the history, so recomputing gives the same continuation. Step thread only.
 */
final class Sequence {
    final RequestState request;
    final int index;
    final int promptLength;
    final int[] tokens;
    int length;
    /** Tokens whose K and V are in the cache. */
    int computed;
    final BlockTable table = new BlockTable();
    final long[] sequenceHashes;
    /** Leading blocks whose sequence hash is known (committed, or found in the prefix cache). */
    int hashed;
    final Sampler sampler;
    final TokenHistory history;
    /** When it was last admitted: the most recent is preempted first. */
    long admittedAt;
    boolean everAdmitted;
    boolean finished;
    /** Tokens scheduled in the current step. */
    int scheduled;

    Sequence(RequestState request, int index, Sampler sampler, TokenHistory history, int blockSize) {
        this.request = request;
        this.index = index;
        int[] prompt = request.prompt;
        this.promptLength = prompt.length;
        this.tokens = new int[prompt.length + request.maxTokens];
        System.arraycopy(prompt, 0, tokens, 0, prompt.length);
        this.length = prompt.length;
        this.sequenceHashes = new long[tokens.length / blockSize + 1];
        this.sampler = sampler;
        this.history = history;
        history.addPrompt(prompt);
    }

    int generated() {
        return length - promptLength;
    }

    /** Whether this step's tokens reach the last token, so the step yields its next-token logits. */
    boolean samplesThisStep() {
        return scheduled > 0 && computed + scheduled == length;
    }
}
