package io.jynamo.llm.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts special tokens written in text out of it before the text is tokenized, as llama.cpp does:
 * tokens are tried longest first, each over every piece of text still unsplit. A token with
 * {@code rstrip} also swallows the ASCII whitespace after it.
 */
final class SpecialSplitter {
    /** A piece of the input: raw text (token == -1) or one special token. */
    record Fragment(String text, int token) {
        boolean isText() {
            return token < 0;
        }
    }

    private final String[] texts;
    private final int[] ids;
    private final boolean[] rstrip;
    private final boolean[] alwaysParsed;
    private final boolean[] firstChar = new boolean[Character.MAX_VALUE + 1];

    /**
     * @param texts        the special tokens' texts, longest first
     * @param ids          their ids
     * @param rstrip       whether each swallows the whitespace after it
     * @param alwaysParsed whether each is split out even when specials are not parsed (user-defined tokens)
     */
    SpecialSplitter(String[] texts, int[] ids, boolean[] rstrip, boolean[] alwaysParsed) {
        this.texts = texts;
        this.ids = ids;
        this.rstrip = rstrip;
        this.alwaysParsed = alwaysParsed;
        for (String t : texts) {
            if (!t.isEmpty()) {
                firstChar[t.charAt(0)] = true;
            }
        }
    }

    List<Fragment> split(String text, boolean parseSpecial) {
        List<Fragment> out = new ArrayList<>();
        if (text.isEmpty()) {
            return out;
        }
        out.add(new Fragment(text, -1));
        if (!mayContainSpecial(text)) {
            return out;
        }
        for (int s = 0; s < texts.length; s++) {
            if (texts[s].isEmpty() || !(parseSpecial || alwaysParsed[s])) {
                continue;
            }
            for (int f = 0; f < out.size(); f++) {
                Fragment frag = out.get(f);
                if (frag.isText() && frag.text.contains(texts[s])) {
                    List<Fragment> parts = splitOne(frag.text, s);
                    out.remove(f);
                    out.addAll(f, parts);
                    f += parts.size() - 1;
                }
            }
        }
        return out;
    }

    private List<Fragment> splitOne(String raw, int s) {
        List<Fragment> parts = new ArrayList<>();
        String tok = texts[s];
        int from = 0;
        int end = raw.length();
        while (from < end) {
            int match = raw.indexOf(tok, from);
            if (match < 0) {
                parts.add(new Fragment(raw.substring(from, end), -1));
                break;
            }
            if (match > from) {
                parts.add(new Fragment(raw.substring(from, match), -1));
            }
            parts.add(new Fragment(tok, ids[s]));
            from = match + tok.length();
            if (rstrip[s]) {
                while (from < end && isAsciiSpace(raw.charAt(from))) {
                    from++;
                }
            }
        }
        return parts;
    }

    private boolean mayContainSpecial(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (firstChar[text.charAt(i)]) {
                return true;
            }
        }
        return false;
    }

    private static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private static boolean isAsciiSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    /** Builds a splitter for the given special ids, longest text first (stable for equal lengths). */
    static SpecialSplitter of(String[] vocab, int[] specialIds, boolean[] rstripById, boolean[] alwaysById) {
        Integer[] order = Arrays.stream(specialIds).boxed().toArray(Integer[]::new);
        // llama.cpp sorts its cache with std::sort (not stable); ties of equal length cannot overlap in a
        // way that matters for real vocabularies, so id order breaks them.
        Arrays.sort(order, (a, b) -> Integer.compare(utf8Length(vocab[b]), utf8Length(vocab[a])));
        int n = order.length;
        String[] texts = new String[n];
        int[] ids = new int[n];
        boolean[] rs = new boolean[n];
        boolean[] always = new boolean[n];
        for (int i = 0; i < n; i++) {
            int id = order[i];
            texts[i] = vocab[id];
            ids[i] = id;
            rs[i] = rstripById != null && rstripById[id];
            always[i] = alwaysById != null && alwaysById[id];
        }
        return new SpecialSplitter(texts, ids, rs, always);
    }
}
