package io.jynamo.router.bench;

import io.jynamo.api.engine.Engine;
import io.jynamo.api.engine.EngineMetrics;
import io.jynamo.api.engine.RequestStream;
import io.jynamo.api.kv.KvEvent;
import io.jynamo.api.output.EngineOutput;
import io.jynamo.api.output.FinishReason;
import io.jynamo.api.request.PreprocessedRequest;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * For measuring a plane's cost per streamed item: each take() returns the next prompt token as an
 * item of its own, computed on the spot (no thread, no waiting), so nearly all CPU is the plane's.
 */
final class OneTokenPerItemEngine implements Engine {
    @Override
    public RequestStream submit(PreprocessedRequest request) {
        int[] prompt = request.tokenIds();
        int count = Math.min(prompt.length, request.stop().maxTokens());
        return new RequestStream() {
            private int next;
            private volatile boolean cancelled;

            @Override
            public String requestId() {
                return request.requestId();
            }

            @Override
            public synchronized EngineOutput take() {
                if (next > count) {
                    return null;
                }
                if (next == count || cancelled) {
                    int emitted = next;
                    next = count + 1;
                    return new EngineOutput.Finished(0, cancelled ? FinishReason.CANCELLED : FinishReason.STOP,
                            prompt.length, emitted);
                }
                return new EngineOutput.Tokens(0, new int[]{prompt[next++]}, null, null);
            }

            @Override
            public EngineOutput poll(long timeout, TimeUnit unit) {
                return take();
            }

            @Override
            public synchronized boolean isDone() {
                return next > count;
            }

            @Override
            public int cachedPromptTokens() {
                return 0;
            }

            @Override
            public void cancel() {
                cancelled = true;
            }
        };
    }

    @Override
    public void cancel(String requestId) {
    }

    @Override
    public EngineMetrics metrics() {
        return new EngineMetrics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public void subscribeKvEvents(Consumer<KvEvent.Envelope> listener) {
    }

    @Override
    public void close() {
    }
}
