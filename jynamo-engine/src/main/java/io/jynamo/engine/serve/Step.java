package io.jynamo.engine.serve;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.output.EngineOutput;
import io.jynamo.api.output.FinishReason;
import io.jynamo.api.output.TokenLogprob;
import io.jynamo.engine.exec.StepPlan;
import io.jynamo.engine.sample.Logprobs;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * One engine step: drop cancelled sequences, let the {@link Scheduler} plan the step, run the plan
 * as one mixed batch on the executor, commit the blocks that filled, sample the next token of every
 * sequence whose last token ran, check its stop conditions and emit. The plan and the logits are
 * allocated once. Step thread only.
 */
final class Step {
    private final Scheduler scheduler;
    private final ForwardPass forward;
    private final int vocab;
    private final int[] eos;
    private final Consumer<RequestState> onDone;
    private final float[] logits;
    private final float[] row;
    private final Logprobs logprobs = new Logprobs();
    long tokensGenerated;
    long steps;
    /** Time in steps that ran a batch, scheduling and sampling included. */
    long stepNanos;
    /** Of that, time in the executor's forward pass. */
    long forwardNanos;

    /**
     * @param forward the executor's run, or a test's wrapper of it
     */
    Step(Scheduler scheduler, ForwardPass forward, int vocab, int maxSeqs, int maxBatchTokens, int[] eos,
         Consumer<RequestState> onDone) {
        this.scheduler = scheduler;
        this.forward = forward;
        this.vocab = vocab;
        this.eos = eos;
        this.onDone = onDone;
        this.logits = new float[Math.min(maxSeqs, maxBatchTokens) * vocab];
        this.row = new float[vocab];
    }

    /** Runs one step; false when there was nothing to run. */
    boolean run() {
        long t0 = System.nanoTime();
        dropCancelled();
        StepPlan plan = scheduler.schedule();
        if (plan.isEmpty()) {
            return false;
        }
        long f0 = System.nanoTime();
        try {
            forward.run(plan, logits);
        } catch (RuntimeException e) {
            plan.clear();
            failRunning(e);
            return true;
        } finally {
            forwardNanos += System.nanoTime() - f0;
        }
        for (Sequence s : scheduler.running) {
            s.computed += s.scheduled;
            s.scheduled = 0;
            scheduler.commitFullBlocks(s);
        }
        Sequence[] sampled = scheduler.sampled;
        int nLogits = plan.logitCount();
        plan.clear();
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
