package io.jynamo.router;

import io.jynamo.api.engine.RequestStream;
import io.jynamo.api.output.EngineOutput;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** A routed request's stream that tells its candidate, once, when the request ended (taken to the end, or cancelled). */
final class TrackedStream implements RequestStream {
    private final RequestStream inner;
    private final Candidate candidate;
    private final AtomicBoolean ended = new AtomicBoolean();

    TrackedStream(RequestStream inner, Candidate candidate) {
        this.inner = inner;
        this.candidate = candidate;
    }

    @Override
    public String requestId() {
        return inner.requestId();
    }

    @Override
    public EngineOutput take() throws InterruptedException {
        return ended(inner.take());
    }

    @Override
    public EngineOutput poll(long timeout, TimeUnit unit) throws InterruptedException {
        return ended(inner.poll(timeout, unit));
    }

    private EngineOutput ended(EngineOutput item) {
        if (inner.isDone()) {
            end();
        }
        return item;
    }

    @Override
    public boolean isDone() {
        return inner.isDone();
    }

    @Override
    public int cachedPromptTokens() {
        return inner.cachedPromptTokens();
    }

    @Override
    public void cancel() {
        inner.cancel();
        end();
    }

    private void end() {
        if (ended.compareAndSet(false, true)) {
            candidate.ended();
        }
    }
}
