package io.jynamo.engine.serve;

import io.jynamo.api.output.EngineOutput;
import io.jynamo.api.output.TokenLogprob;
import io.jynamo.api.engine.RequestStream;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The {@link RequestStream} of one request. The step thread appends and never waits beyond a short
 * lock; tokens the reader has not taken yet gather in one pending item per sequence, so memory is
 * bounded by max_tokens whatever the reader does. Public (in this internal package) so that the
 * root package's {@code EchoEngine} streams the same way.
 */
public final class OutputBuffer implements RequestStream {
    private final String requestId;
    private final Consumer<String> canceller;
    private final boolean logprobs;
    private final int[][] tokens;
    private final int[] counts;
    private final float[][] lps;
    private final List<List<List<TokenLogprob>>> tops;
    private final EngineOutput[] terminal;
    private final boolean[] queued;
    private final ArrayDeque<Integer> order = new ArrayDeque<>();
    private int terminalsTaken;
    private volatile int cachedPromptTokens;

    public OutputBuffer(String requestId, int n, int maxTokens, boolean logprobs, Consumer<String> canceller) {
        this.requestId = requestId;
        this.canceller = canceller;
        this.logprobs = logprobs;
        this.tokens = new int[n][Math.min(maxTokens, 64)];
        this.counts = new int[n];
        this.lps = logprobs ? new float[n][Math.min(maxTokens, 64)] : null;
        this.tops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tops.add(null);
        }
        this.terminal = new EngineOutput[n];
        this.queued = new boolean[n];
    }

    @Override
    public String requestId() {
        return requestId;
    }

    /** Step thread: one more token of sequence {@code index}; {@code top} is null unless asked for. */
    public synchronized void token(int index, int id, float logprob, List<TokenLogprob> top) {
        int c = counts[index];
        if (c == tokens[index].length) {
            tokens[index] = Arrays.copyOf(tokens[index], c * 2);
            if (lps != null) {
                lps[index] = Arrays.copyOf(lps[index], c * 2);
            }
        }
        tokens[index][c] = id;
        if (lps != null) {
            lps[index][c] = logprob;
        }
        if (top != null) {
            if (tops.get(index) == null) {
                tops.set(index, new ArrayList<>());
            }
            tops.get(index).add(top);
        }
        counts[index] = c + 1;
        enqueue(index);
    }

    /** Step thread: the terminal item of a sequence; later calls for the same index are ignored. */
    public synchronized void end(EngineOutput item) {
        int index = item.index();
        if (terminal[index] == null) {
            terminal[index] = item;
            enqueue(index);
        }
    }

    void cachedPromptTokens(int n) {
        cachedPromptTokens = n;
    }

    @Override
    public int cachedPromptTokens() {
        return cachedPromptTokens;
    }

    @Override
    public synchronized EngineOutput take() throws InterruptedException {
        while (order.isEmpty() && !isDone()) {
            wait();
        }
        return next();
    }

    @Override
    public synchronized EngineOutput poll(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        long left;
        while (order.isEmpty() && !isDone() && (left = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return next();
    }

    @Override
    public synchronized boolean isDone() {
        return terminalsTaken == terminal.length;
    }

    @Override
    public void cancel() {
        canceller.accept(requestId);
    }

    private void enqueue(int index) {
        if (!queued[index]) {
            queued[index] = true;
            order.addLast(index);
            notifyAll();
        }
    }

    private EngineOutput next() {
        Integer index = order.pollFirst();
        if (index == null) {
            return null;
        }
        int i = index;
        if (counts[i] > 0) {
            EngineOutput.Tokens out = new EngineOutput.Tokens(i, Arrays.copyOf(tokens[i], counts[i]),
                    logprobs ? Arrays.copyOf(lps[i], counts[i]) : null, tops.get(i));
            counts[i] = 0;
            tops.set(i, null);
            if (terminal[i] != null) {
                order.addFirst(i);  // the terminal item follows its last tokens
            } else {
                queued[i] = false;
            }
            return out;
        }
        queued[i] = false;
        terminalsTaken++;
        return terminal[i];
    }
}
