package io.jynamo.frontend.text;

import io.jynamo.llm.Tokenizer;

import java.util.Arrays;
import java.util.List;

/**
 * A {@link TextStream} that decodes a sliding window of recent tokens (as Hugging Face's TGI does):
 * the text of the window minus the text of its prefix is the new text, unless it ends in U+FFFD (a
 * character whose bytes have not all arrived yet), in which case it waits for more tokens. Decoding
 * a window rather than single tokens keeps tokenizers that strip or add leading spaces right.
 *
 * <p>Stop strings: the assembled text is searched from the earliest position where a stop string
 * could start after new text arrives; the text from a found stop string on is dropped. A suffix that
 * could still become a stop string is held back until it cannot.
 */
public final class WindowTextStream implements TextStream {
    private static final char REPLACEMENT = '\uFFFD';
    /**
     * Tokens waited for before text ending in U+FFFD is taken as it is: no character spans this many
     * tokens, so the bytes are invalid for good (and the window must not grow without bound).
     */
    private static final int MAX_PENDING_TOKENS = 8;

    private final Tokenizer tokenizer;
    private final List<String> stops;
    private final int longestStop;
    private int[] ids = new int[16];
    private int count;
    private int prefixOffset;
    private int readOffset;
    private final StringBuilder text = new StringBuilder();
    private int sent;
    private boolean stopped;
    private int accepted;

    /**
     * @param tokenizer the model's tokenizer; special tokens are left out of the text
     * @param stops     stop strings (empty ones are ignored)
     */
    public WindowTextStream(Tokenizer tokenizer, List<String> stops) {
        this.tokenizer = tokenizer;
        this.stops = stops.stream().filter(s -> !s.isEmpty()).toList();
        this.longestStop = this.stops.stream().mapToInt(String::length).max().orElse(0);
    }

    @Override
    public String push(int[] tokenIds) {
        if (stopped) {
            return "";
        }
        for (int id : tokenIds) {
            append(id);
            accepted++;
            if (stopped) {
                break;
            }
        }
        int end = stopped ? text.length() : text.length() - heldBack();
        return take(end);
    }

    @Override
    public String finish() {
        if (stopped) {
            return "";
        }
        if (readOffset < count) {
            // tokens whose text never completed a character: emit what the tokenizer makes of them
            String prefix = decode(prefixOffset, readOffset);
            String all = decode(prefixOffset, count);
            if (all.length() > prefix.length()) {
                appendText(all.substring(prefix.length()));
            }
            readOffset = count;
        }
        return take(text.length());
    }

    @Override
    public boolean stopped() {
        return stopped;
    }

    @Override
    public int acceptedTokens() {
        return accepted;
    }

    private void append(int id) {
        if (count == ids.length) {
            ids = Arrays.copyOf(ids, count * 2);
        }
        ids[count++] = id;
        String prefix = decode(prefixOffset, readOffset);
        String all = decode(prefixOffset, count);
        if (all.length() > prefix.length()
                && (all.charAt(all.length() - 1) != REPLACEMENT || count - readOffset >= MAX_PENDING_TOKENS)) {
            prefixOffset = readOffset;
            readOffset = count;
            appendText(all.substring(prefix.length()));
        }
    }

    private void appendText(String delta) {
        int before = text.length();
        text.append(delta);
        if (longestStop == 0) {
            return;
        }
        int from = Math.max(sent, before - longestStop + 1);
        int found = -1;
        for (String stop : stops) {
            int at = text.indexOf(stop, Math.max(0, from));
            if (at >= 0 && (found < 0 || at < found)) {
                found = at;
            }
        }
        if (found >= 0) {
            text.setLength(found);
            stopped = true;
        }
    }

    /** Length of the longest suffix of the unsent text that is a proper prefix of a stop string. */
    private int heldBack() {
        int unsent = text.length() - sent;
        int most = Math.min(unsent, longestStop - 1);
        for (int len = most; len > 0; len--) {
            int start = text.length() - len;
            for (String stop : stops) {
                if (stop.length() > len && regionMatches(start, stop, len)) {
                    return len;
                }
            }
        }
        return 0;
    }

    private boolean regionMatches(int start, String stop, int len) {
        for (int i = 0; i < len; i++) {
            if (text.charAt(start + i) != stop.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private String take(int end) {
        if (end <= sent) {
            return "";
        }
        String out = text.substring(sent, end);
        sent = end;
        return out;
    }

    private String decode(int from, int to) {
        if (from == to) {
            return "";
        }
        return tokenizer.decode(Arrays.copyOfRange(ids, from, to), true);
    }
}
