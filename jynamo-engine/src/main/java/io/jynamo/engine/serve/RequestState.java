package io.jynamo.engine.serve;

import io.jynamo.api.request.OutputOptions;
import io.jynamo.api.request.PreprocessedRequest;
import io.jynamo.api.request.StopConditions;

/**
 * A request in flight: what it asked for, where its outputs go, and whether it was cancelled (set
 * by any thread, acted on by the step thread at the next step).
 */
final class RequestState {
    final PreprocessedRequest request;
    final String id;
    final int[] prompt;
    final int maxTokens;
    final int minTokens;
    final int[] stopIds;
    final boolean ignoreEos;
    final OutputOptions output;
    final OutputBuffer stream;
    final Sequence[] sequences;
    volatile boolean cancelled;
    int unfinished;

    RequestState(PreprocessedRequest request, OutputBuffer stream) {
        this.request = request;
        this.id = request.requestId();
        this.prompt = request.tokenIds();
        StopConditions stop = request.stop();
        this.maxTokens = stop.maxTokens();
        this.minTokens = stop.minTokens();
        this.stopIds = stop.stopTokenIds();
        this.ignoreEos = stop.ignoreEos();
        this.output = request.output();
        this.stream = stream;
        this.sequences = new Sequence[request.n()];
        this.unfinished = request.n();
    }
}
