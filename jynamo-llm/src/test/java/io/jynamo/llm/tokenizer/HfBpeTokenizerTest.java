package io.jynamo.llm.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jynamo.llm.TestVocabs;
import io.jynamo.llm.Tokenizer;
import io.jynamo.llm.Tokenizers;
import io.jynamo.llm.UnicodeCorpus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Java path for byte-level BPE tokenizer.json files against the HF library (DJL) as reference. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HfBpeTokenizerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static Path file(String pkg) {
        return TestVocabs.assets().hfTokenizer(pkg).resolve("tokenizer.json");
    }

    /** llama.cpp's vectors, the unicode corpus, and texts with added tokens, case folds and edge cases. */
    private static List<String> texts(String ggufName) {
        List<String> texts = new ArrayList<>();
        for (TestVocabs.Case c : TestVocabs.cases(ggufName)) {
            texts.add(c.text());
        }
        texts.addAll(UnicodeCorpus.TEXTS);
        texts.addAll(List.of("", "Hi<|eot_id|>there", "<|begin_of_text|>x<|end_of_text|>",
                "<|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|>",
                "<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n<think>\nok</think>\n\n",
                "<tool_call>{\"a\": 1}</tool_call><|endoftext|>", "<|im_end|><|im_end|>", "<|im_end",
                "it'ſx IT'S we'LL I'M you'Re they'VE he'D 'ſ", "e\u0301\u0300 A\u030A \uFB01 \u212B",
                "  \u00A0\u2003\n \t\r\n\u2028x", "1234567 ١٢٣٤ ½ 𝟙𝟚𝟛",
                "x".repeat(300) + " " + "ab".repeat(200)));
        return texts;
    }

    private static void assertSame(Tokenizer ref, Tokenizer fast, List<String> texts) {
        assertEquals(ref.vocabSize(), fast.vocabSize(), "vocabSize");
        for (String t : List.of("<|eot_id|>", "<|im_end|>", "<think>", "Hello", "Ġthe", "nope-not-a-token", "")) {
            assertEquals(ref.tokenId(t), fast.tokenId(t), "tokenId " + t);
        }
        for (String text : texts) {
            for (boolean add : new boolean[] {false, true}) {
                int[] want = ref.encode(text, add);
                int[] got = fast.encode(text, add);
                assertArrayEquals(want, got, "encode(add=" + add + ") of '" + text + "'");
                for (boolean skip : new boolean[] {false, true}) {
                    assertEquals(ref.decode(want, skip), fast.decode(want, skip), "decode(skip=" + skip + ")");
                }
                for (int id : want) { // single tokens: partial UTF-8 is replaced as HF replaces it
                    assertEquals(ref.decode(new int[] {id}, false), fast.decode(new int[] {id}, false), "id " + id);
                }
            }
        }
        // spread over the whole vocabulary, added tokens included
        List<Integer> ids = new ArrayList<>();
        for (int id = 0; id < ref.vocabSize(); id += 613) {
            ids.add(id);
        }
        for (int id = Math.max(0, ref.vocabSize() - 300); id < ref.vocabSize(); id++) {
            ids.add(id);
        }
        int[] arr = ids.stream().mapToInt(Integer::intValue).toArray();
        for (boolean skip : new boolean[] {false, true}) {
            assertEquals(ref.decode(arr, skip), fast.decode(arr, skip), "decode spread skip=" + skip);
        }
        for (int id : arr) {
            assertEquals(ref.decode(new int[] {id}, false), fast.decode(new int[] {id}, false), "id " + id);
            assertEquals(ref.decode(new int[] {id}, true), fast.decode(new int[] {id}, true), "id " + id);
        }
    }

    @ParameterizedTest
    @CsvSource({"llama3, llama-bpe, llama3", "qwen3, qwen2, qwen2"})
    void matchesTheHfLibrary(String pkg, String ggufName, String pre) {
        Tokenizer fast = Tokenizers.fromHuggingFace(file(pkg));
        assertEquals(pre, assertInstanceOf(HfBpeTokenizer.class, fast).preTokenizerName());
        assertSame(HfTokenizer.load(file(pkg)), fast, texts(ggufName));
        // and the directory form
        assertInstanceOf(HfBpeTokenizer.class, Tokenizers.fromHuggingFace(file(pkg).getParent()));
    }

    private Path modified(String pkg, Consumer<ObjectNode> change) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(file(pkg).toFile());
        change.accept(root);
        Path dir = java.nio.file.Files.createTempDirectory(tmp, pkg);
        Path out = dir.resolve("tokenizer.json");
        JSON.writeValue(out.toFile(), root);
        return out;
    }

    @Test
    void unknownPreTokenizerFallsBackToTheHfLibrary() throws IOException {
        Path p = modified("llama3", root -> {
            ObjectNode split = (ObjectNode) root.path("pre_tokenizer").path("pretokenizers").get(0);
            ((ObjectNode) split.path("pattern")).put("Regex", "\\s+|\\S+");
        });
        Tokenizer tok = Tokenizers.fromHuggingFace(p);
        assertInstanceOf(HfTokenizer.class, tok);
        assertArrayEquals(HfTokenizer.load(p).encode("Hello world", false), tok.encode("Hello world", false));
    }

    @Test
    void otherUnknownStagesFallBack() throws IOException {
        List<Consumer<ObjectNode>> changes = List.of(
                root -> root.putObject("normalizer").put("type", "NFKC"),
                root -> root.putObject("decoder").put("type", "Metaspace"),
                root -> ((ObjectNode) root.path("pre_tokenizer").path("pretokenizers").get(1))
                        .put("add_prefix_space", true),
                root -> ((ObjectNode) root.path("added_tokens").get(0)).put("rstrip", true),
                root -> ((ObjectNode) root.path("added_tokens").get(0)).put("normalized", true),
                root -> root.putObject("post_processor").put("type", "RobertaProcessing"));
        for (Consumer<ObjectNode> change : changes) {
            assertEquals(null, HfBpeTokenizer.recognise(JSON.readTree(modified("qwen3", change).toFile())));
        }
    }

    @Test
    void templateProcessingAddsItsLeadingSpecialToken() throws IOException {
        Path p = modified("llama3", root -> {
            ObjectNode pp = root.putObject("post_processor");
            pp.put("type", "TemplateProcessing");
            ArrayNode single = pp.putArray("single");
            single.addObject().putObject("SpecialToken").put("id", "<|begin_of_text|>").put("type_id", 0);
            single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
            ArrayNode pair = pp.putArray("pair");
            pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
            pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
            ObjectNode st = pp.putObject("special_tokens").putObject("<|begin_of_text|>");
            st.put("id", "<|begin_of_text|>");
            st.putArray("ids").add(128000);
            st.putArray("tokens").add("<|begin_of_text|>");
        });
        Tokenizer fast = Tokenizers.fromHuggingFace(p);
        assertInstanceOf(HfBpeTokenizer.class, fast);
        assertEquals(128000, fast.encode("Hi", true)[0]);
        assertSame(HfTokenizer.load(p), fast, texts("llama-bpe"));
    }

    /**
     * HF's {@code (?i:'s|...)} also matches the long s (U+017F), which no token of the real files can
     * show; a vocabulary holding the whole word "'ſx" (Llama 3 takes whole words before merging) does.
     * It goes in at 128000, the added tokens one up (HF numbers added tokens from the model's size on).
     */
    @Test
    void contractionsFoldCaseAsHfDoes() throws IOException {
        Path p = modified("llama3", root -> {
            ((ObjectNode) root.path("model").path("vocab"))
                    .put(ByteLevel.encode("'\u017Fx".getBytes(java.nio.charset.StandardCharsets.UTF_8)), 128000);
            for (var t : root.path("added_tokens")) {
                ((ObjectNode) t).put("id", t.path("id").asInt() + 1);
            }
        });
        Tokenizer fast = Tokenizers.fromHuggingFace(p);
        assertInstanceOf(HfBpeTokenizer.class, fast);
        Tokenizer ref = HfTokenizer.load(p);
        // HF splits "'ſ" off as a contraction, so the whole-word token is not taken
        assertFalse(java.util.Arrays.equals(new int[] {128000}, ref.encode("'\u017Fx", false)), "HF folds 'ſ");
        assertEquals(128000, fast.tokenId(ByteLevel.encode("'\u017Fx".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        for (String text : List.of("it'\u017Fx", "'\u017Fx", "'\u017F", "'Sx", "'sx", "'Tx", "a<|eot_id|>")) {
            assertArrayEquals(ref.encode(text, false), fast.encode(text, false), text);
        }
        assertSame(ref, fast, texts("llama-bpe"));
    }

    @Test
    void addedTokenIdsHfWouldRenumberAreNotTaken() throws IOException {
        // a model token past the added ones: HF numbers the added tokens from the model's size on
        Path p = modified("llama3", root -> ((ObjectNode) root.path("model").path("vocab")).put("zzqq", 128256));
        assertInstanceOf(HfTokenizer.class, Tokenizers.fromHuggingFace(p));
    }

    @Test
    void gpt2ByteLevelPreTokenizer() throws IOException {
        Path p = modified("llama3", root -> {
            ObjectNode pre = root.putObject("pre_tokenizer");
            pre.put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true)
                    .put("use_regex", true);
            ((ObjectNode) root.path("model")).put("ignore_merges", false);
        });
        Tokenizer fast = Tokenizers.fromHuggingFace(p);
        assertEquals("gpt-2", assertInstanceOf(HfBpeTokenizer.class, fast).preTokenizerName());
        assertSame(HfTokenizer.load(p), fast, texts("gpt-2"));
    }
}
