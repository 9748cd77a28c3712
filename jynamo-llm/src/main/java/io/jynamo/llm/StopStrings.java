package io.jynamo.llm;

import io.jynamo.llm.output.StopStringMatcher;
import java.util.List;

/**
 * Finds stop strings in streamed text, across token boundaries. Text that might be the start of a stop
 * string is held back until it is clear; the stop string and everything after it are never emitted.
 * One per sequence; not thread-safe.
 */
public interface StopStrings {
    /** Adds a text delta; returns the text that can be emitted now (empty while undecided or after a stop). */
    String feed(String delta);

    /** Whether a stop string was seen; later input is dropped. */
    boolean stopped();

    /** The stop string that was seen, or null. */
    String matched();

    /** At the end of the sequence: the text still held back (empty if stopped). */
    String flush();

    static StopStrings of(List<String> stops) {
        return new StopStringMatcher(stops);
    }
}
