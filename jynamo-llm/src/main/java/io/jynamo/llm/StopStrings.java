package io.jynamo.llm;

import io.jynamo.llm.output.StopStringMatcher;
import java.util.List;

/**
 * Finds stop strings in streamed text, across token boundaries. Text that might be the start of a stop
 * string is held back until it is clear; the stop string and everything after it are never emitted.
 * One per sequence; not thread-safe.
 *
 * <p>A class over {@link StopStringMatcher}, not an interface it implements, so that the output
 * package does not depend back on this one.
 */
public final class StopStrings {
    private final StopStringMatcher impl;

    private StopStrings(StopStringMatcher impl) {
        this.impl = impl;
    }

    public static StopStrings of(List<String> stops) {
        return new StopStrings(new StopStringMatcher(stops));
    }

    /** Adds a text delta; returns the text that can be emitted now (empty while undecided or after a stop). */
    public String feed(String delta) {
        return impl.feed(delta);
    }

    /** Whether a stop string was seen; later input is dropped. */
    public boolean stopped() {
        return impl.stopped();
    }

    /** The stop string that was seen, or null. */
    public String matched() {
        return impl.matched();
    }

    /** At the end of the sequence: the text still held back (empty if stopped). */
    public String flush() {
        return impl.flush();
    }
}
