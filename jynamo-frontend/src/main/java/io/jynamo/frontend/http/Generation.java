package io.jynamo.frontend.http;

import io.jynamo.api.engine.Engine;
import io.jynamo.api.engine.RequestStream;
import io.jynamo.api.output.EngineOutput;
import io.jynamo.api.output.FinishReason;
import io.jynamo.api.request.PreprocessedRequest;
import io.jynamo.frontend.ServedModel;
import io.jynamo.frontend.metrics.RequestProbe;
import io.jynamo.frontend.openai.Choice;
import io.jynamo.frontend.openai.CompletionJson;
import io.jynamo.frontend.openai.GenerationRequest;
import io.jynamo.frontend.openai.LogprobList;
import io.jynamo.frontend.openai.ResponseMeta;
import io.jynamo.frontend.openai.Usage;
import io.jynamo.frontend.text.TextStream;
import io.jynamo.frontend.text.DetokenizingTextStream;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One generation request from submission to the last byte. Each engine request (one per prompt) is
 * read by its own virtual thread: it turns tokens into text, writes a chunk per item read (streaming)
 * or gathers the choice (unary). A choice a stop string ended stops being read; when all choices of
 * an engine request have ended that way, the engine request is cancelled. A client that goes away
 * cancels every engine request at once.
 */
final class Generation {
    private final Exchange ex;
    private final GenerationRequest req;
    private final ServedModel model;
    private final List<PreprocessedRequest> prepared;
    private final RequestProbe probe;
    private final ResponseMeta meta;
    private final Choice[] choices;
    private final List<RequestStream> streams = new ArrayList<>();
    private volatile HttpError failure;

    Generation(Exchange ex, GenerationRequest req, ServedModel model, List<PreprocessedRequest> prepared,
               RequestProbe probe) {
        this.ex = ex;
        this.req = req;
        this.model = model;
        this.prepared = prepared;
        this.probe = probe;
        this.meta = new ResponseMeta((req.chat() ? "chatcmpl-" : "cmpl-") + ex.requestId,
                System.currentTimeMillis() / 1000, model.name(), req.chat(), model.card().tokenizer(),
                req.logprobs(), req.stream() && req.includeUsage());
        int n = req.n();
        this.choices = new Choice[prepared.size() * n];
        for (int i = 0; i < choices.length; i++) {
            TextStream text = new DetokenizingTextStream(model.card().tokenizer(),
                    prepared.get(i / n).tokenIds(), req.stop());
            choices[i] = new Choice(i, text, req.logprobs(), !req.stream());
        }
    }

    /** Runs the request on the calling (virtual) thread; returns the HTTP status it was answered with. */
    int run() throws InterruptedException {
        Engine engine = model.engine();
        try {
            for (PreprocessedRequest p : prepared) {
                streams.add(engine.submit(p));
            }
        } catch (RuntimeException e) {
            streams.forEach(RequestStream::cancel);
            HttpError error = HttpError.of(e);
            ex.fail(error);
            return error.status();
        }
        ex.onClose(() -> streams.forEach(RequestStream::cancel));
        if (req.stream()) {
            ex.startSse();
            if (req.chat()) {
                for (Choice c : choices) {
                    ex.event(CompletionJson.chunk(meta, c, true, "", null, null));
                }
            }
        }
        readAll();
        return finish();
    }

    private void readAll() throws InterruptedException {
        if (streams.size() == 1) {
            readGuarded(0);
            return;
        }
        List<Thread> readers = new ArrayList<>(streams.size());
        for (int k = 0; k < streams.size(); k++) {
            int index = k;
            readers.add(Thread.ofVirtual().name("read-" + ex.requestId + "." + k).start(() -> readGuarded(index)));
        }
        for (Thread t : readers) {
            t.join();
        }
    }

    /** Reads engine request {@code k}; whatever goes wrong, the engine request is cancelled and the client told. */
    private void readGuarded(int k) {
        try {
            read(k);
        } catch (InterruptedException e) {
            streams.get(k).cancel();
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            streams.get(k).cancel();
            HttpError error = HttpError.of(e);
            failure = error;
            if (req.stream()) {
                ex.event(error.body());
            }
        }
    }

    private int finish() {
        Usage usage = usage();
        HttpError error = failure;
        if (req.stream()) {
            if (req.includeUsage() && error == null) {
                ex.event(CompletionJson.usageChunk(meta, usage));
            }
            ex.done();
            return 200;
        }
        if (error != null) {
            ex.fail(error);
            return error.status();
        }
        ex.json(200, CompletionJson.body(meta, Arrays.asList(choices), usage));
        return 200;
    }

    private Usage usage() {
        long prompt = 0;
        for (PreprocessedRequest p : prepared) {
            prompt += p.promptLength();
        }
        long completion = 0;
        for (Choice c : choices) {
            completion += c.completionTokens;
        }
        return new Usage(prompt, completion);
    }

    long promptTokens() {
        return usage().promptTokens();
    }

    private void read(int k) throws InterruptedException {
        RequestStream stream = streams.get(k);
        int n = req.n();
        int open = n;
        EngineOutput out;
        while ((out = stream.take()) != null) {
            Choice c = choices[k * n + out.index()];
            if (c.done()) {
                continue;
            }
            switch (out) {
                case EngineOutput.Tokens t -> tokens(c, t);
                case EngineOutput.Finished f -> finished(c, f);
                case EngineOutput.Failed f -> failed(c, f);
            }
            if (c.done() && --open == 0 && !stream.isDone()) {
                stream.cancel();  // every choice ended on a stop string: the engine need not go on
            }
        }
    }

    private void tokens(Choice c, EngineOutput.Tokens t) {
        int before = c.text.acceptedTokens();
        String delta = c.text.push(t.tokenIds());
        int accepted = c.text.acceptedTokens() - before;
        probe.tokens(accepted);
        if (c.logprobs != null) {
            c.logprobs.add(t.tokenIds(), t.logprobs(), t.topLogprobs(), accepted);
        }
        if (c.text.stopped()) {
            c.finishReason = "stop";
            c.completionTokens = c.text.acceptedTokens();
        }
        emit(c, delta, c.finishReason);
    }

    private void finished(Choice c, EngineOutput.Finished f) {
        String tail = c.text.finish();
        c.completionTokens = c.text.acceptedTokens();
        c.finishReason = c.text.stopped() ? "stop" : reason(f.reason());
        if (f.reason() == FinishReason.CANCELLED && ex.closed()) {
            return;
        }
        emit(c, tail, c.finishReason);
    }

    private void failed(Choice c, EngineOutput.Failed f) {
        c.finishReason = "error";
        c.completionTokens = c.text.acceptedTokens();
        HttpError error = HttpError.of(f.category(), f.message(), null, null);
        if (failure == null) {
            failure = error;
        }
        if (req.stream()) {
            ex.event(error.body());
        }
    }

    private void emit(Choice c, String text, String finish) {
        if (!req.stream()) {
            c.content.append(text);
            return;
        }
        LogprobList lp = c.logprobs;
        boolean hasLogprobs = lp != null && lp.size() > 0;
        if (text.isEmpty() && !hasLogprobs && finish == null) {
            return;
        }
        ex.event(CompletionJson.chunk(meta, c, false, text, hasLogprobs ? lp : null, finish));
        if (lp != null) {
            lp.clear();
        }
    }

    private static String reason(FinishReason r) {
        return switch (r) {
            case STOP -> "stop";
            case LENGTH -> "length";
            case CANCELLED -> "abort";
            case ERROR -> "error";
        };
    }
}
