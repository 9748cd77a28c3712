package io.jynamo.engine.serve;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.output.EngineOutput;
import io.jynamo.api.output.FinishReason;
import io.jynamo.api.output.TokenLogprob;
import io.jynamo.engine.kv.BlockTable;
import io.jynamo.engine.kv.KvCache;
import io.jynamo.engine.model.forward.Transformer;
import io.jynamo.engine.sample.Logprobs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * One engine step: drop cancelled sequences, let the {@link Scheduler} pick tokens, run them as one
 * mixed batch through the transformer, commit the blocks that filled, sample the next token of every
 * sequence whose last token ran, check its stop conditions and emit. The batch arrays are allocated
 * once. Step thread only.
 */
final class Step {
    private final Scheduler scheduler;
    private final Transformer transformer;
    private final ForwardPass forward;
    private final KvCache cache;
    private final int vocab;
    private final int[] eos;
    private final Consumer<RequestState> onDone;
    private final int[] tokens;
    private final int[] positions;
    private final BlockTable[] tables;
    private final int[] logitRows;
    private final Sequence[] sampled;
    private final float[] logits;
    private final float[] row;
    private final Logprobs logprobs = new Logprobs();
    private int batchSize;
    long tokensGenerated;
    long steps;
    /** Time in steps that ran a batch, scheduling and sampling included. */
    long stepNanos;
    /** Of that, time in the transformer's forward pass. */
    long forwardNanos;

    Step(Scheduler scheduler, Transformer transformer, ForwardPass forward, KvCache cache, int maxSeqs, int[] eos,
         Consumer<RequestState> onDone) {
        this.scheduler = scheduler;
        this.transformer = transformer;
        this.forward = forward;
        this.cache = cache;
        this.vocab = transformer.config().vocabSize();
        this.eos = eos;
        this.onDone = onDone;
        int maxBatch = transformer.maxBatchTokens();
        this.tokens = new int[maxBatch];
        this.positions = new int[maxBatch];
        this.tables = new BlockTable[maxBatch];
        int maxLogits = Math.min(maxSeqs, maxBatch);
        this.logitRows = new int[maxLogits];
        this.sampled = new Sequence[maxLogits];
        this.logits = new float[maxLogits * vocab];
        this.row = new float[vocab];
    }

    /** Runs one step; false when there was nothing to run. */
    boolean run() {
        long t0 = System.nanoTime();
        dropCancelled();
        if (scheduler.schedule() == 0) {
            return false;
        }
        int nLogits = buildBatch();
        long f0 = System.nanoTime();
        try {
            forward.run(batchSize, tokens, positions, tables, cache, nLogits, logitRows, logits);
        } catch (RuntimeException e) {
            failRunning(e);
            return true;
        } finally {
            forwardNanos += System.nanoTime() - f0;
            Arrays.fill(tables, 0, batchSize, null);
        }
        for (Sequence s : scheduler.running) {
            s.computed += s.scheduled;
            s.scheduled = 0;
            scheduler.commitFullBlocks(s);
        }
        for (int i = 0; i < nLogits; i++) {
            FinishReason reason = sample(sampled[i], i);
            if (reason != null) {
                finish(sampled[i], new EngineOutput.Finished(sampled[i].index, reason,
                        sampled[i].promptLength, sampled[i].generated()));
            }
            sampled[i] = null;
        }
        steps++;
        stepNanos += System.nanoTime() - t0;
        return true;
    }

    private int buildBatch() {
        int n = 0;
        int nLogits = 0;
        for (Sequence s : scheduler.running) {
            for (int t = 0; t < s.scheduled; t++) {
                tokens[n] = s.tokens[s.computed + t];
                positions[n] = s.computed + t;
                tables[n] = s.table;
                n++;
            }
            if (s.samplesThisStep()) {
                logitRows[nLogits] = n - 1;
                sampled[nLogits++] = s;
            }
        }
        batchSize = n;
        return nLogits;
    }

    private FinishReason sample(Sequence s, int i) {
        System.arraycopy(logits, i * vocab, row, 0, vocab);
        int token = s.sampler.sample(row, s.history);
        RequestState r = s.request;
        float lp = 0;
        List<TokenLogprob> top = null;
        if (r.output.logprobs()) {
            logprobs.compute(row, token, r.output.topLogprobs());
            lp = logprobs.logprob();
            if (r.output.topLogprobs() > 0) {
                top = new ArrayList<>(logprobs.topCount());
                for (int k = 0; k < logprobs.topCount(); k++) {
                    top.add(logprobs.top(k));
                }
            }
        }
        s.tokens[s.length++] = token;
        s.history.addOutput(token);
        tokensGenerated++;
        r.stream.token(s.index, token, lp, top);
        return stopReason(s, token);
    }

    private FinishReason stopReason(Sequence s, int token) {
        RequestState r = s.request;
        int generated = s.generated();
        if (generated >= r.minTokens && (contains(r.stopIds, token) || (!r.ignoreEos && contains(eos, token)))) {
            return FinishReason.STOP;
        }
        return generated >= r.maxTokens ? FinishReason.LENGTH : null;
    }

    private static boolean contains(int[] ids, int id) {
        for (int x : ids) {
            if (x == id) {
                return true;
            }
        }
        return false;
    }

    private void dropCancelled() {
        for (int i = scheduler.running.size() - 1; i >= 0; i--) {
            cancelIfAsked(scheduler.running.get(i));
        }
        Iterator<Sequence> it = scheduler.waiting.iterator();
        while (it.hasNext()) {
            Sequence s = it.next();
            if (s.request.cancelled) {
                it.remove();
                cancelIfAsked(s);
            }
        }
    }

    private void cancelIfAsked(Sequence s) {
        if (s.request.cancelled) {
            finish(s, new EngineOutput.Finished(s.index, FinishReason.CANCELLED, s.promptLength, s.generated()));
        }
    }

    /** Ends a sequence: frees its blocks, emits its terminal item, and retires the request after its last. */
    void finish(Sequence s, EngineOutput terminal) {
        scheduler.remove(s);
        s.request.stream.end(terminal);
        if (--s.request.unfinished == 0) {
            onDone.accept(s.request);
        }
    }

    private void failRunning(RuntimeException e) {
        String message = "the forward pass failed: " + e.getMessage();
        for (Sequence s : new ArrayList<>(scheduler.running)) {
            finish(s, new EngineOutput.Failed(s.index, ErrorCategory.INTERNAL, message));
        }
    }

    /** Fails everything still queued or running (the engine is closing). */
    void failAll(String message) {
        List<Sequence> all = new ArrayList<>(scheduler.running);
        all.addAll(scheduler.waiting);
        for (Sequence s : all) {
            finish(s, new EngineOutput.Failed(s.index, ErrorCategory.UNAVAILABLE, message));
        }
    }
}
