package io.jynamo.llm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import io.jynamo.llm.LlmException;
import io.jynamo.llm.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} whose model is byte-level BPE, run by this module's own BPE
 * instead of the HF library. Only files whose every stage is one this class reproduces exactly are
 * taken ({@link #recognise}): normalizer none or NFC; pre-tokenizer Llama 3's or Qwen2's split followed
 * by a plain ByteLevel, or GPT-2's ByteLevel; decoder ByteLevel; post-processor adding nothing or one
 * leading special token; added tokens matched as written (no strip, not normalized) and numbered as HF
 * numbers them (from the model vocabulary's size on, in id order). Everything else
 * stays with {@link HfTokenizer}.
 *
 * <p>Encoding follows HF: added tokens are cut out of the raw text first (leftmost, longest at a
 * position), each piece between them is normalized, split by the pre-tokenizer's expression and merged
 * word by word. Decoding follows HF's ByteLevel decoder: a token whose characters are all in the
 * byte-level alphabet stands for those bytes, any other for its own UTF-8; the bytes are decoded with
 * malformed sequences replaced.
 */
public final class HfBpeTokenizer implements Tokenizer {
    /** Llama 3's Split expression, exactly as its tokenizer.json writes it. */
    static final String LLAMA3_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}|"
            + " ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    /** Qwen2's (and Qwen3's) Split expression, exactly as its tokenizer.json writes it. */
    static final String QWEN2_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}|"
            + " ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private final Map<String, Integer> tokenToId;
    private final int vocabSize;
    private final boolean nfc;
    private final PreTokenizer preTokenizer;
    private final BpeModel bpe;
    private final int prefixToken;
    private final byte[][] pieces;
    private final boolean[] special;
    /** Added tokens by first character, longest first. */
    private final Map<Character, List<Added>> addedByFirst = new HashMap<>();
    private final boolean[] addedFirstChar = new boolean[Character.MAX_VALUE + 1];

    private record Added(String text, int id) {
    }

    private HfBpeTokenizer(Map<String, Integer> vocab, String[] merges, List<Added> added, boolean[] specialById,
                           boolean nfc, PreTokenizer preTokenizer, boolean ignoreMerges, int prefixToken,
                           int vocabSize) {
        this.nfc = nfc;
        this.preTokenizer = preTokenizer;
        this.prefixToken = prefixToken;
        this.vocabSize = vocabSize;
        this.special = specialById;
        this.bpe = new BpeModel(vocab, merges, ignoreMerges, "tokenizer.json");
        this.tokenToId = new HashMap<>(vocab);
        String[] byId = new String[vocabSize];
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            byId[e.getValue()] = e.getKey();
        }
        for (Added a : added) {
            tokenToId.put(a.text, a.id);
            byId[a.id] = a.text;
            addedByFirst.computeIfAbsent(a.text.charAt(0), c -> new ArrayList<>()).add(a);
            addedFirstChar[a.text.charAt(0)] = true;
        }
        for (List<Added> l : addedByFirst.values()) {
            l.sort((x, y) -> Integer.compare(y.text.length(), x.text.length()));
        }
        pieces = new byte[vocabSize][];
        for (int id = 0; id < vocabSize; id++) {
            pieces[id] = byId[id] == null ? null : bytesOf(byId[id]);
        }
    }

    /** HF ByteLevel decoder on one token: its byte-level characters' bytes, or its own UTF-8 if any is not one. */
    private static byte[] bytesOf(String token) {
        byte[] out = new byte[token.length()];
        for (int i = 0; i < token.length(); i++) {
            int b = ByteLevel.byteOf(token.charAt(i));
            if (b < 0) {
                return token.getBytes(StandardCharsets.UTF_8);
            }
            out[i] = (byte) b;
        }
        return out;
    }

    /**
     * The fast tokenizer for a parsed tokenizer.json, or null if the file uses anything this class does
     * not reproduce exactly (then the HF library must run it).
     */
    public static HfBpeTokenizer recognise(JsonNode root) {
        JsonNode model = root.path("model");
        if (!"BPE".equals(model.path("type").asText(null)) || !model.path("vocab").isObject()
                || !model.path("merges").isArray()
                || !isNullOr(model.get("dropout")) || !isNullOr(model.get("unk_token"))
                || !isNullOrEmptyText(model.get("continuing_subword_prefix"))
                || !isNullOrEmptyText(model.get("end_of_word_suffix"))
                || model.path("byte_fallback").asBoolean(false)) {
            return null;
        }
        boolean ignoreMerges = model.path("ignore_merges").asBoolean(false);
        // normalizer
        JsonNode norm = root.get("normalizer");
        boolean nfc;
        if (isNullOr(norm)) {
            nfc = false;
        } else if ("NFC".equals(norm.path("type").asText(null)) && norm.size() == 1) {
            nfc = true;
        } else {
            return null;
        }
        // pre-tokenizer
        PreTokenizer pre = preTokenizer(root.get("pre_tokenizer"), ignoreMerges);
        if (pre == null) {
            return null;
        }
        // decoder
        JsonNode dec = root.get("decoder");
        if (dec == null || !"ByteLevel".equals(dec.path("type").asText(null))) {
            return null;
        }
        // vocabulary
        Map<String, Integer> vocab = new HashMap<>(model.path("vocab").size() * 2);
        int maxId = -1;
        for (Iterator<Map.Entry<String, JsonNode>> it = model.path("vocab").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().canConvertToInt() || e.getValue().asInt() < 0) {
                return null;
            }
            vocab.put(e.getKey(), e.getValue().asInt());
            maxId = Math.max(maxId, e.getValue().asInt());
        }
        // merges: "a b" or ["a", "b"]; every part and the merged token must be in the vocabulary (HF refuses others)
        JsonNode mergeNodes = model.path("merges");
        String[] merges = new String[mergeNodes.size()];
        for (int i = 0; i < merges.length; i++) {
            JsonNode m = mergeNodes.get(i);
            String a;
            String b;
            if (m.isTextual()) {
                String s = m.asText();
                int sp = s.indexOf(' ');
                if (sp <= 0 || s.indexOf(' ', sp + 1) >= 0) {
                    return null;
                }
                a = s.substring(0, sp);
                b = s.substring(sp + 1);
            } else if (m.isArray() && m.size() == 2 && m.get(0).isTextual() && m.get(1).isTextual()) {
                a = m.get(0).asText();
                b = m.get(1).asText();
                if (a.isEmpty() || a.indexOf(' ') >= 0 || b.indexOf(' ') >= 0) {
                    return null;
                }
            } else {
                return null;
            }
            if (!vocab.containsKey(a) || !vocab.containsKey(b) || !vocab.containsKey(a + b)) {
                return null;
            }
            merges[i] = a + " " + b;
        }
        // HF keeps the last rank of a merge written twice, this module's BPE the first: take no such file.
        if (new java.util.HashSet<>(Arrays.asList(merges)).size() != merges.length) {
            return null;
        }
        // added tokens
        List<Added> added = new ArrayList<>();
        List<Integer> specialIds = new ArrayList<>();
        Map<String, Integer> addedIds = new HashMap<>();
        for (JsonNode t : root.path("added_tokens")) {
            String content = t.path("content").asText("");
            if (content.isEmpty() || !t.path("id").canConvertToInt() || t.path("id").asInt() < 0
                    || t.path("lstrip").asBoolean(false) || t.path("rstrip").asBoolean(false)
                    || t.path("single_word").asBoolean(false) || t.path("normalized").asBoolean(true)
                    || addedIds.containsKey(content)) {
                return null;
            }
            int id = t.path("id").asInt();
            // An added token that is also a model token under another id would make id and text disagree.
            Integer inVocab = vocab.get(content);
            if (inVocab != null && inVocab != id) {
                return null;
            }
            addedIds.put(content, id);
            added.add(new Added(content, id));
            if (t.path("special").asBoolean(false)) {
                specialIds.add(id);
            }
            maxId = Math.max(maxId, id);
        }
        // HF reassigns the ids of added tokens not in the model vocabulary, in id order, from the model's
        // size on (the file's ids are only checked, with a warning): take only files where that changes nothing.
        if (maxIdOf(vocab) != vocab.size() - 1) {
            return null;
        }
        int next = vocab.size();
        for (Added a : added.stream().sorted((x, y) -> Integer.compare(x.id, y.id)).toList()) {
            if (!vocab.containsKey(a.text)) {
                if (a.id != next) {
                    return null;
                }
                next++;
            }
        }
        // two texts for one id would make decoding ambiguous
        Map<Integer, String> idToText = new HashMap<>();
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            if (idToText.put(e.getValue(), e.getKey()) != null) {
                return null;
            }
        }
        for (Added a : added) {
            String inVocab = idToText.get(a.id);
            if (inVocab != null && !inVocab.equals(a.text)) {
                return null;
            }
        }
        // post-processor
        int prefix = postProcessorPrefix(root.get("post_processor"));
        if (prefix == Integer.MIN_VALUE) {
            return null;
        }
        int vocabSize = maxId + 1;
        if (prefix >= vocabSize) {
            return null;
        }
        boolean[] specialById = new boolean[vocabSize];
        for (int id : specialIds) {
            specialById[id] = true;
        }
        return new HfBpeTokenizer(vocab, merges, added, specialById, nfc, pre, ignoreMerges, prefix, vocabSize);
    }

    private static int maxIdOf(Map<String, Integer> vocab) {
        int max = -1;
        for (int id : vocab.values()) {
            max = Math.max(max, id);
        }
        return max;
    }

    private static boolean isNullOr(JsonNode n) {
        return n == null || n.isNull();
    }

    private static boolean isNullOrEmptyText(JsonNode n) {
        return n == null || n.isNull() || (n.isTextual() && n.asText().isEmpty());
    }

    private static PreTokenizer preTokenizer(JsonNode pre, boolean ignoreMerges) {
        if (pre == null) {
            return null;
        }
        String type = pre.path("type").asText("");
        if (type.equals("ByteLevel")) {
            if (pre.path("add_prefix_space").asBoolean(true) || !pre.path("use_regex").asBoolean(true)) {
                return null;
            }
            return PreTokenizer.of("gpt-2", PreTokenizer.GPT2, ignoreMerges);
        }
        if (!type.equals("Sequence") || pre.path("pretokenizers").size() != 2) {
            return null;
        }
        JsonNode split = pre.path("pretokenizers").get(0);
        JsonNode bl = pre.path("pretokenizers").get(1);
        if (!"Split".equals(split.path("type").asText(null))
                || !"Isolated".equals(split.path("behavior").asText(null))
                || split.path("invert").asBoolean(true)
                || split.path("pattern").size() != 1
                || !"ByteLevel".equals(bl.path("type").asText(null))
                || bl.path("add_prefix_space").asBoolean(true)
                || bl.path("use_regex").asBoolean(true)) {
            return null;
        }
        String regex = split.path("pattern").path("Regex").asText(null);
        if (LLAMA3_SPLIT.equals(regex)) {
            return PreTokenizer.of("llama3", PreTokenizer.LLAMA3_HF, ignoreMerges);
        }
        if (QWEN2_SPLIT.equals(regex)) {
            return PreTokenizer.of("qwen2", PreTokenizer.QWEN2_HF, ignoreMerges);
        }
        return null;
    }

    /** -1: adds nothing; an id: adds that token first; Integer.MIN_VALUE: not recognised. */
    private static int postProcessorPrefix(JsonNode pp) {
        if (isNullOr(pp)) {
            return -1;
        }
        String type = pp.path("type").asText("");
        if (type.equals("ByteLevel")) {
            return -1;
        }
        if (!type.equals("TemplateProcessing")) {
            return Integer.MIN_VALUE;
        }
        JsonNode single = pp.path("single");
        if (!single.isArray() || single.size() != 2) {
            return Integer.MIN_VALUE;
        }
        JsonNode st = single.get(0).get("SpecialToken");
        JsonNode seq = single.get(1).get("Sequence");
        if (single.get(0).size() != 1 || st == null || single.get(1).size() != 1 || seq == null
                || !"A".equals(seq.path("id").asText(null))) {
            return Integer.MIN_VALUE;
        }
        JsonNode ids = pp.path("special_tokens").path(st.path("id").asText("")).path("ids");
        if (!ids.isArray() || ids.size() != 1 || !ids.get(0).canConvertToInt() || ids.get(0).asInt() < 0) {
            return Integer.MIN_VALUE;
        }
        return ids.get(0).asInt();
    }

    @Override
    public int[] encode(String text, boolean addSpecialTokens) {
        IntList out = new IntList(text.length() / 3 + 4);
        if (addSpecialTokens && prefixToken >= 0) {
            out.add(prefixToken);
        }
        List<String> words = new ArrayList<>();
        int from = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (!addedFirstChar[c]) {
                continue;
            }
            for (Added a : addedByFirst.get(c)) {
                if (text.startsWith(a.text, i)) {
                    encodeText(text.substring(from, i), words, out);
                    out.add(a.id);
                    from = i + a.text.length();
                    i = from - 1;
                    break;
                }
            }
        }
        encodeText(from == 0 ? text : text.substring(from), words, out);
        return out.toArray();
    }

    private void encodeText(String text, List<String> words, IntList out) {
        if (text.isEmpty()) {
            return;
        }
        if (nfc && !Normalizer.isNormalized(text, Normalizer.Form.NFC)) {
            text = Normalizer.normalize(text, Normalizer.Form.NFC);
        }
        words.clear();
        preTokenizer.split(text, words);
        for (String w : words) {
            bpe.encodeWord(w, out);
        }
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            if (id < 0 || id >= vocabSize) {
                throw LlmException.badInput("token id " + id + " is outside the vocabulary of " + vocabSize);
            }
            byte[] p = pieces[id];
            if (p == null || (skipSpecialTokens && special[id])) {
                continue;
            }
            bytes.write(p, 0, p.length);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int tokenId(String token) {
        Integer id = tokenToId.get(token);
        return id == null ? -1 : id;
    }

    /** The pre-tokenizer this file was recognised as using ("llama3", "qwen2" or "gpt-2"). */
    public String preTokenizerName() {
        return preTokenizer.name();
    }
}
