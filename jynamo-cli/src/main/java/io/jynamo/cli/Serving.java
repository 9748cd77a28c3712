package io.jynamo.cli;

import io.jynamo.api.engine.Engine;
import io.jynamo.api.engine.RequestStream;
import io.jynamo.api.output.EngineOutput;
import io.jynamo.api.request.OutputOptions;
import io.jynamo.api.request.PreprocessedRequest;
import io.jynamo.api.request.SamplingOptions;
import io.jynamo.api.request.StopConditions;
import io.jynamo.llm.Detokenizer;
import io.jynamo.llm.ModelCard;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A model being served in this JVM: its card (tokenizer, chat template) and its engine. The text and
 * batch inputs of {@code jynamo run} go through here; HTTP goes through the frontend.
 */
record Serving(ModelCard card, Engine engine, AutoCloseable resources) implements AutoCloseable {
    private static final AtomicLong IDS = new AtomicLong();

    /** What one generation produced. */
    record Result(String text, String finishReason, int promptTokens, int completionTokens, long ttftNanos,
                  long totalNanos, String error) {}

    /** Prompt ids of a conversation: rendered with the chat template, or the last user text alone without one. */
    int[] chatPrompt(List<Map<String, Object>> messages) {
        if (card.chatTemplate() == null) {
            return card.tokenizer().encode(String.valueOf(messages.getLast().get("content")), true);
        }
        String text = card.chatTemplate().render(messages, null, true, Map.of());
        // The template writes BOS itself, as Hugging Face's apply_chat_template output is tokenized.
        return card.tokenizer().encode(text, false);
    }

    int[] completionPrompt(String text) {
        return card.tokenizer().encode(text, true);
    }

    /** Generates for one prompt, handing each text delta to {@code onText} as it comes. */
    Result generate(int[] prompt, SamplingOptions sampling, int maxTokens, Consumer<String> onText)
            throws InterruptedException {
        return generate(prompt, sampling, maxTokens, onText, stream -> { });
    }

    /** As above; {@code started} gets the request's stream first, so another thread may cancel it. */
    Result generate(int[] prompt, SamplingOptions sampling, int maxTokens, Consumer<String> onText,
                    Consumer<RequestStream> started) throws InterruptedException {
        int room = card.contextLength() - prompt.length;
        if (room < 1) {
            return new Result("", "error", prompt.length, 0, 0, 0, "the prompt (" + prompt.length
                    + " tokens) fills the context of " + card.contextLength() + " tokens");
        }
        long start = System.nanoTime();
        RequestStream stream = engine.submit(new PreprocessedRequest("run-" + IDS.incrementAndGet(), card.servedName(),
                prompt, sampling, StopConditions.maxTokens(Math.min(maxTokens, room)), OutputOptions.NONE, 1));
        started.accept(stream);
        Detokenizer detok = Detokenizer.of(card.tokenizer(), prompt, true);
        StringBuilder text = new StringBuilder();
        long ttft = 0;
        EngineOutput out;
        String finish = null;
        String error = null;
        int completion = 0;
        while ((out = stream.take()) != null) {
            switch (out) {
                case EngineOutput.Tokens t -> {
                    if (ttft == 0) {
                        ttft = System.nanoTime() - start;
                    }
                    for (int id : t.tokenIds()) {
                        String delta = detok.next(id);
                        if (!delta.isEmpty()) {
                            text.append(delta);
                            onText.accept(delta);
                        }
                    }
                }
                case EngineOutput.Finished f -> {
                    finish = f.reason().name().toLowerCase(java.util.Locale.ROOT);
                    completion = f.completionTokens();
                }
                case EngineOutput.Failed f -> {
                    finish = "error";
                    error = f.message();
                }
            }
        }
        String rest = detok.finish();
        if (!rest.isEmpty()) {
            text.append(rest);
            onText.accept(rest);
        }
        return new Result(text.toString(), finish, prompt.length, completion, ttft, System.nanoTime() - start, error);
    }

    @Override
    public void close() throws Exception {
        engine.close();
        if (resources != null) {
            resources.close();
        }
    }
}
