package io.jynamo.llm.tokenizer;

import io.jynamo.llm.LlmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into the words byte-level BPE merges within, by the regular expression of the model's
 * pre-tokenizer (named by GGUF {@code tokenizer.ggml.pre}). Text the expression does not match stays
 * a word of its own, as in llama.cpp.
 *
 * <p>Java's {@code \s} is ASCII only, so the expressions use {@code \p{IsWhite_Space}} (Unicode
 * White_Space, as Rust's regex and llama.cpp's tables); {@code \p{L}} and {@code \p{N}} are the
 * Unicode general categories in Java as in those libraries.
 */
public final class PreTokenizer {
    private static final String WS = "\\p{IsWhite_Space}";
    private static final String NWS = "\\P{IsWhite_Space}";
    private static final String CONTRACTIONS = "'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD]";

    /** Llama 3's expression (tokenizer.json, with llama.cpp's case-insensitive contractions spelled out). */
    static final String LLAMA3 = "(?:" + CONTRACTIONS + ")|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^" + WS
            + "\\p{L}\\p{N}]+[\\r\\n]*|" + WS + "*[\\r\\n]+|" + WS + "+(?!" + NWS + ")|" + WS + "+";
    /** Qwen2's: Llama 3's with single digits. */
    static final String QWEN2 = "(?:" + CONTRACTIONS + ")|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^" + WS
            + "\\p{L}\\p{N}]+[\\r\\n]*|" + WS + "*[\\r\\n]+|" + WS + "+(?!" + NWS + ")|" + WS + "+";
    /** GPT-2's original. */
    static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^" + WS + "\\p{L}\\p{N}]+|"
            + WS + "+(?!" + NWS + ")|" + WS + "+";

    /**
     * The contractions as a Hugging Face tokenizer.json's {@code (?i:...)} group matches them: HF's
     * regex engine (Oniguruma) folds case by Unicode, so {@code 's} also matches the long s (U+017F).
     */
    private static final String CONTRACTIONS_HF = "'[sS\u017F]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD]";
    /** {@link #LLAMA3} with HF's case folding of the contractions. */
    static final String LLAMA3_HF = LLAMA3.replace(CONTRACTIONS, CONTRACTIONS_HF);
    /** {@link #QWEN2} with HF's case folding of the contractions. */
    static final String QWEN2_HF = QWEN2.replace(CONTRACTIONS, CONTRACTIONS_HF);

    private final String name;
    private final Pattern pattern;
    private final boolean ignoreMerges;

    private PreTokenizer(String name, String regex, boolean ignoreMerges) {
        this.name = name;
        this.pattern = Pattern.compile(regex);
        this.ignoreMerges = ignoreMerges;
    }

    /** The pre-tokenizer llama.cpp uses for {@code pre} (null or "default" is GPT-2's). */
    public static PreTokenizer forName(String pre) {
        String p = pre == null ? "default" : pre.toLowerCase(Locale.ROOT);
        return switch (p) {
            case "llama3", "llama-v3", "llama-bpe", "falcon3", "pixtral", "smaug-bpe", "dbrx" ->
                    new PreTokenizer(p, LLAMA3, true);
            case "qwen2", "deepseek-r1-qwen", "stablelm2", "hunyuan" -> new PreTokenizer(p, QWEN2, false);
            case "default", "gpt-2", "gpt2", "phi-2", "mpt", "olmo", "jais" -> new PreTokenizer(p, GPT2, false);
            default -> throw LlmException.badInput("unsupported GGUF pre-tokenizer '" + pre
                    + "' (supported: llama-bpe/llama3, qwen2, gpt-2/default)");
        };
    }

    /** A pre-tokenizer splitting by {@code regex} (Java syntax). */
    static PreTokenizer of(String name, String regex, boolean ignoreMerges) {
        return new PreTokenizer(name, regex, ignoreMerges);
    }

    public String name() {
        return name;
    }

    /** Whether a word that is itself a token skips the merges (Llama 3's {@code ignore_merges}). */
    boolean ignoreMerges() {
        return ignoreMerges;
    }

    /** Appends the words of {@code text} to {@code out}. */
    void split(String text, List<String> out) {
        Matcher m = pattern.matcher(text);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) {
                out.add(text.substring(last, m.start()));
            }
            if (m.end() > m.start()) {
                out.add(text.substring(m.start(), m.end()));
            }
            last = m.end();
        }
        if (last < text.length()) {
            out.add(text.substring(last));
        }
    }

    List<String> split(String text) {
        List<String> out = new ArrayList<>();
        split(text, out);
        return out;
    }
}
