package io.jynamo.frontend.text;

import io.jynamo.llm.Detokenizer;
import io.jynamo.llm.StopStrings;
import io.jynamo.llm.Tokenizer;

import java.util.List;

/**
 * A {@link TextStream} on the llm module's incremental {@link Detokenizer} (never a partial UTF-8
 * character, SentencePiece's leading spaces kept) and {@link StopStrings} (matched across token
 * boundaries, never emitted).
 */
public final class DetokenizingTextStream implements TextStream {
    private final Detokenizer detokenizer;
    private final StopStrings stops;
    private int accepted;

    /**
     * @param promptIds the prompt, whose last ids give the first generated token its context
     * @param stops     stop strings (may be empty)
     */
    public DetokenizingTextStream(Tokenizer tokenizer, int[] promptIds, List<String> stops) {
        this.detokenizer = Detokenizer.of(tokenizer, promptIds, true);
        this.stops = StopStrings.of(stops);
    }

    @Override
    public String push(int[] tokenIds) {
        StringBuilder out = new StringBuilder();
        for (int id : tokenIds) {
            if (stops.stopped()) {
                break;
            }
            accepted++;
            out.append(stops.feed(detokenizer.next(id)));
        }
        return out.toString();
    }

    @Override
    public String finish() {
        if (stops.stopped()) {
            return "";
        }
        String tail = stops.feed(detokenizer.finish());
        return stops.stopped() ? tail : tail + stops.flush();
    }

    @Override
    public boolean stopped() {
        return stops.stopped();
    }

    @Override
    public int acceptedTokens() {
        return accepted;
    }
}
