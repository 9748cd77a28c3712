package io.jynamo.llm.remote;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.engine.RequestStream;
import io.jynamo.api.output.EngineOutput;
import io.jynamo.runtime.ResponseItem;
import io.jynamo.runtime.ResponseStream;
import io.jynamo.llm.codec.OutputCodec;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * A {@link RequestStream} read from a response stream. When the transport fails (or the stream ends
 * early), each sequence not yet finished gets a Failed item with the transport's category, so the
 * caller sees every sequence end exactly once, as with a local engine.
 */
public final class RemoteRequestStream implements RequestStream {
    private final String requestId;
    private final ResponseStream stream;
    private final boolean[] ended;
    private final ArrayDeque<EngineOutput> synthesized = new ArrayDeque<>();
    private final Runnable onDone;
    private volatile int endedCount;

    public RemoteRequestStream(String requestId, int n, ResponseStream stream, Runnable onDone) {
        this.requestId = requestId;
        this.stream = stream;
        this.ended = new boolean[n];
        this.onDone = onDone;
    }

    @Override
    public String requestId() {
        return requestId;
    }

    @Override
    public synchronized EngineOutput take() throws InterruptedException {
        while (true) {
            if (!synthesized.isEmpty()) {
                return counted(synthesized.poll());
            }
            if (isDone()) {
                return null;
            }
            EngineOutput out = next(stream.take());
            if (out != null || isDone()) {
                return out;
            }
        }
    }

    @Override
    public synchronized EngineOutput poll(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true) {
            if (!synthesized.isEmpty()) {
                return counted(synthesized.poll());
            }
            long left = deadline - System.nanoTime();
            ResponseItem item = stream.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (item == null) {
                return null;
            }
            EngineOutput out = next(item);
            if (out != null || isDone() || left <= 0) {
                return out;
            }
        }
    }

    /** The output for this item, or null if the item carried none (the accept, an end). */
    private EngineOutput next(ResponseItem item) {
        if (!synthesized.isEmpty()) {
            return counted(synthesized.poll());
        }
        switch (item) {
            case null -> {
                return null;
            }
            case ResponseItem.Data d -> {
                return counted(OutputCodec.decode(d.body()));
            }
            case ResponseItem.End e -> failRemaining(ErrorCategory.INTERNAL, "the worker ended the stream early");
            case ResponseItem.Failure f -> failRemaining(f.category(), f.message());
        }
        return synthesized.isEmpty() ? null : counted(synthesized.poll());
    }

    private void failRemaining(ErrorCategory category, String message) {
        for (int i = 0; i < ended.length; i++) {
            if (!ended[i]) {
                synthesized.add(new EngineOutput.Failed(i, category, message));
            }
        }
    }

    private EngineOutput counted(EngineOutput out) {
        if (out instanceof EngineOutput.Finished || out instanceof EngineOutput.Failed) {
            int i = out.index();
            if (i >= 0 && i < ended.length && !ended[i]) {
                ended[i] = true;
                if (++endedCount == ended.length) {
                    onDone.run();
                }
            }
        }
        return out;
    }

    @Override
    public boolean isDone() {
        return endedCount == ended.length;
    }

    @Override
    public int cachedPromptTokens() {
        return 0;
    }

    @Override
    public void cancel() {
        stream.cancel();
    }
}
