package io.jynamo.llm.codec;

import io.jynamo.api.request.PreprocessedRequest;

/**
 * What a client asks of an engine endpoint: a request to generate (the default, the body being the
 * request's JSON) or, with {@code "op": "metrics"}, the engine's metrics.
 */
public sealed interface EngineCall permits EngineCall.Generate, EngineCall.Metrics {
    record Generate(PreprocessedRequest request) implements EngineCall {
    }

    record Metrics() implements EngineCall {
    }

    static EngineCall decode(byte[] json) {
        var node = Json.read(json, "the request");
        String op = Json.text(node, "op", "generate");
        return switch (op) {
            case "generate" -> new Generate(RequestCodec.read(node));
            case "metrics" -> new Metrics();
            default -> throw new CodecException("unknown operation '" + op + "'");
        };
    }
}
