package io.jynamo.engine;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.engine.Engine;
import io.jynamo.api.engine.EngineMetrics;
import io.jynamo.api.engine.RequestStream;
import io.jynamo.api.kv.KvEvent;
import io.jynamo.api.output.EngineOutput;
import io.jynamo.api.output.FinishReason;
import io.jynamo.api.output.TokenLogprob;
import io.jynamo.api.request.PreprocessedRequest;
import io.jynamo.engine.serve.OutputBuffer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * An engine without a model, for testing the layers above one: each sequence streams the prompt's
 * token ids back, one per {@code tokenDelayNanos}, and stops with STOP at the prompt's end or with
 * LENGTH at max_tokens. Logprobs, when asked for, are 0 (the echoed token is certain). Runs each
 * request on a virtual thread; at most {@code maxRunning} run at once, the rest wait their turn.
 */
public final class EchoEngine implements Engine {
    private final long tokenDelayNanos;
    private final int contextLength;
    private final int maxWaiting;
    private final Semaphore running;
    private final int maxRunning;
    private final Map<String, EchoRequest> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong promptTokens = new AtomicLong();
    private final AtomicLong tokensGenerated = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param tokenDelayNanos pause before each echoed token (0 = as fast as the reader goes)
     * @param contextLength   longest prompt + max_tokens accepted (as a model's context would be)
     * @param maxRunning      requests streaming at once ({@code --max-num-seqs})
     * @param maxWaiting      requests admitted beyond those before submit refuses with UNAVAILABLE
     */
    public EchoEngine(long tokenDelayNanos, int contextLength, int maxRunning, int maxWaiting) {
        if (tokenDelayNanos < 0 || contextLength < 1 || maxRunning < 1 || maxWaiting < 0) {
            throw EngineException.badInput("echo engine: delay must be >= 0, context length, max running >= 1 and"
                    + " max waiting >= 0");
        }
        this.tokenDelayNanos = tokenDelayNanos;
        this.contextLength = contextLength;
        this.maxRunning = maxRunning;
        this.maxWaiting = maxWaiting;
        this.running = new Semaphore(maxRunning, true);
    }

    @Override
    public RequestStream submit(PreprocessedRequest request) {
        if (closed) {
            throw new EngineException(ErrorCategory.UNAVAILABLE, "the engine is closed");
        }
        long total = (long) request.promptLength() + request.stop().maxTokens();
        if (total > contextLength) {
            throw EngineException.badInput("prompt (" + request.promptLength() + " tokens) + max_tokens ("
                    + request.stop().maxTokens() + ") exceeds the context length of " + contextLength + " tokens");
        }
        if (inFlight.size() >= maxRunning + maxWaiting) {
            throw new EngineException(ErrorCategory.UNAVAILABLE, "the engine's waiting queue is full ("
                    + maxWaiting + " requests); retry later");
        }
        OutputBuffer stream = new OutputBuffer(request.requestId(), request.n(), request.stop().maxTokens(),
                request.output().logprobs(), this::cancel);
        EchoRequest r = new EchoRequest(request, stream);
        if (inFlight.putIfAbsent(request.requestId(), r) != null) {
            throw EngineException.badInput("request id '" + request.requestId() + "' is already in flight");
        }
        Thread.ofVirtual().name("echo-" + request.requestId()).start(() -> run(r));
        return stream;
    }

    private void run(EchoRequest r) {
        PreprocessedRequest q = r.request;
        int n = q.n();
        try {
            running.acquire();
        } catch (InterruptedException e) {
            endAll(r, i -> new EngineOutput.Failed(i, ErrorCategory.UNAVAILABLE, "the engine is closed"));
            return;
        }
        try {
            promptTokens.addAndGet(q.promptLength());
            int[] prompt = q.tokenIds();
            int count = Math.min(prompt.length, q.stop().maxTokens());
            int top = q.output().topLogprobs();
            for (int t = 0; t < count; t++) {
                if (tokenDelayNanos > 0) {
                    LockSupport.parkNanos(tokenDelayNanos);
                }
                if (r.cancelled || closed) {
                    break;
                }
                List<TokenLogprob> alternatives = top > 0 ? List.of(new TokenLogprob(prompt[t], 0f)) : null;
                for (int i = 0; i < n; i++) {
                    r.stream.token(i, prompt[t], 0f, alternatives);
                }
                r.emitted = t + 1;
                tokensGenerated.addAndGet(n);
            }
            if (closed && !r.cancelled) {
                endAll(r, i -> new EngineOutput.Failed(i, ErrorCategory.UNAVAILABLE, "the engine is closed"));
            } else {
                FinishReason reason = r.cancelled ? FinishReason.CANCELLED
                        : count < prompt.length ? FinishReason.LENGTH : FinishReason.STOP;
                endAll(r, i -> new EngineOutput.Finished(i, reason, prompt.length, r.emitted));
            }
        } finally {
            running.release();
        }
    }

    private void endAll(EchoRequest r, java.util.function.IntFunction<EngineOutput> item) {
        inFlight.remove(r.request.requestId(), r);
        for (int i = 0; i < r.request.n(); i++) {
            r.stream.end(item.apply(i));
        }
    }

    @Override
    public void cancel(String requestId) {
        EchoRequest r = requestId == null ? null : inFlight.get(requestId);
        if (r != null) {
            r.cancelled = true;
        }
    }

    @Override
    public EngineMetrics metrics() {
        int active = inFlight.size();
        int run = Math.min(active, maxRunning - running.availablePermits());
        long prompt = promptTokens.get();
        return new EngineMetrics(run, Math.max(0, active - run), 0, 0, 0, 0, 0, prompt, tokensGenerated.get(), 0, 0,
                0);
    }

    /** The echo engine has no KV cache, so it never publishes an event. */
    @Override
    public void subscribeKvEvents(Consumer<KvEvent.Envelope> listener) {
        // nothing is ever cached
    }

    @Override
    public void close() {
        closed = true;
    }

    private static final class EchoRequest {
        final PreprocessedRequest request;
        final OutputBuffer stream;
        volatile boolean cancelled;
        volatile int emitted;

        EchoRequest(PreprocessedRequest request, OutputBuffer stream) {
            this.request = request;
            this.stream = stream;
        }
    }
}
