package io.jynamo.llm;

import java.util.List;

/** Texts that break naive tokenizers and detokenizers: multi-byte scripts, emoji, combining marks, odd whitespace. */
public final class UnicodeCorpus {
    private UnicodeCorpus() {
    }

    public static final List<String> TEXTS = List.of(
            "Hello world",
            " leading space",
            "   three leading spaces and trailing   ",
            "tabs\tand\nnewlines\r\nand\n\n\nblank lines\n",
            "中文测试：你好，世界！这是一个句子。",
            "日本語のテキストとカタカナ、ひらがな。",
            "한국어 문장입니다.",
            "Emoji: 😀👍🏽 👨‍👩‍👧‍👦 🇫🇷 ❤️",
            "Combining: e\u0301 a\u0308 n\u0303 \u0915\u094D\u0937 (Devanagari) Z\u0351\u0352\u0353",
            "Ελληνικά και кириллица, עברית, العربية",
            "Math ∑∫√∞ ≠ ≤ ≥ and symbols ©®™ € £ ¥",
            "Code: for (int i = 0; i < n; i++) { x += a[i] * 2; }",
            "Numbers 1234567890 3.14159 -42 1e10",
            "Contractions: I'm, you're, it's, we've, they'll, he'd, DON'T",
            "\u00A0non-breaking\u2003em space\u3000ideographic",
            "😀",
            "a",
            " ",
            "\n");
}
