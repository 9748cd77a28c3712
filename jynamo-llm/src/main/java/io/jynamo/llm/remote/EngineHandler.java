package io.jynamo.llm.remote;

import io.jynamo.api.engine.Engine;
import io.jynamo.api.engine.RequestStream;
import io.jynamo.api.output.EngineOutput;
import io.jynamo.runtime.RequestHandler;
import io.jynamo.runtime.ResponseSink;
import io.jynamo.llm.codec.EngineCall;
import io.jynamo.llm.codec.MetricsCodec;
import io.jynamo.llm.codec.OutputCodec;

/**
 * Serves an engine: decodes the call, submits it (a refusal becomes a failure of the same category),
 * sends {@code accepted}, then every output item, then the end. A cancellation from the client
 * cancels the request in the engine, which then ends its sequences with CANCELLED as usual.
 */
public final class EngineHandler implements RequestHandler {
    private final Engine engine;

    public EngineHandler(Engine engine) {
        this.engine = engine;
    }

    @Override
    public void handle(byte[] request, ResponseSink sink) throws InterruptedException {
        switch (EngineCall.decode(request)) {
            case EngineCall.Metrics m -> {
                sink.send(MetricsCodec.encode(engine.metrics()));
                sink.end();
            }
            case EngineCall.Generate g -> generate(g, sink);
        }
    }

    private void generate(EngineCall.Generate g, ResponseSink sink) throws InterruptedException {
        RequestStream stream = engine.submit(g.request());
        sink.onCancel(stream::cancel);
        sink.send(OutputCodec.accepted());
        try {
            EngineOutput item;
            while ((item = stream.take()) != null) {
                if (stream.isDone()) {
                    sink.sendLast(OutputCodec.encode(item)); // the last item and the end in one write
                    return;
                }
                sink.send(OutputCodec.encode(item));
            }
        } catch (InterruptedException e) {
            stream.cancel();
            throw e;
        }
        sink.end();
    }
}
