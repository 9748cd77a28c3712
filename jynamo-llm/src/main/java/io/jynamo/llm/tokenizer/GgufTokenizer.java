package io.jynamo.llm.tokenizer;

import io.jynamo.llm.GgufVocab;
import io.jynamo.llm.LlmException;
import io.jynamo.llm.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A tokenizer built from a GGUF vocabulary, encoding as llama.cpp's llama_tokenize does: special
 * tokens are cut out of the text first, then each piece of text goes through SentencePiece BPE
 * ("llama") or byte-level BPE ("gpt2") with the model's pre-tokenizer.
 */
public final class GgufTokenizer implements Tokenizer {
    private final GgufVocab vocab;
    private final boolean spm;
    private final Map<String, Integer> tokenToId;
    private final SpecialSplitter splitter;
    private final SpmModel spmModel;
    private final BpeModel bpeModel;
    private final PreTokenizer preTokenizer;
    private final boolean addBos;
    private final boolean addEos;
    private final boolean addSpacePrefix;
    private final byte[][] pieces;

    public GgufTokenizer(GgufVocab vocab) {
        this.vocab = vocab;
        String[] tokens = vocab.tokens();
        tokenToId = new HashMap<>(tokens.length * 2);
        for (int i = 0; i < tokens.length; i++) {
            tokenToId.put(tokens[i], i);
        }
        String model = vocab.model().toLowerCase(Locale.ROOT);
        switch (model) {
            case "llama" -> {
                spm = true;
                preTokenizer = null;
                spmModel = new SpmModel(tokenToId, vocab.scores(), vocab.unkId());
                bpeModel = null;
                addBos = orDefault(vocab.addBos(), true);
                addSpacePrefix = orDefault(vocab.addSpacePrefix(), true);
            }
            case "gpt2" -> {
                spm = false;
                preTokenizer = PreTokenizer.forName(vocab.pre());
                spmModel = null;
                bpeModel = new BpeModel(tokenToId, vocab.merges(), preTokenizer.ignoreMerges(), "GGUF vocab");
                addBos = orDefault(vocab.addBos(), preTokenizer.ignoreMerges());
                addSpacePrefix = orDefault(vocab.addSpacePrefix(), false);
            }
            default -> throw LlmException.badInput("unsupported GGUF tokenizer model '" + vocab.model()
                    + "' (supported: llama, gpt2)");
        }
        addEos = orDefault(vocab.addEos(), false);
        splitter = buildSplitter(vocab);
        pieces = new byte[tokens.length][];
        for (int i = 0; i < tokens.length; i++) {
            pieces[i] = piece(i);
        }
    }

    private static boolean orDefault(Boolean b, boolean dflt) {
        return b == null ? dflt : b;
    }

    private static SpecialSplitter buildSplitter(GgufVocab vocab) {
        String[] tokens = vocab.tokens();
        List<Integer> specials = new ArrayList<>();
        boolean[] always = new boolean[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            int t = vocab.tokenType(i);
            if (t == GgufVocab.TYPE_CONTROL || t == GgufVocab.TYPE_USER_DEFINED || t == GgufVocab.TYPE_UNKNOWN) {
                specials.add(i);
                always[i] = t == GgufVocab.TYPE_USER_DEFINED;
            }
        }
        boolean[] rstrip = new boolean[tokens.length];
        String name = vocab.modelName() == null ? "" : vocab.modelName().toLowerCase(Locale.ROOT);
        if (name.contains("phi-3") || name.contains("phi3")) {
            // llama.cpp's per-model attribute: Phi-3's special tokens swallow the whitespace after them.
            for (int id : specials) {
                rstrip[id] = true;
            }
            setIfPresent(tokens, rstrip, "</s>", true);
            for (String t : new String[] {"<unk>", "<s>", "<|endoftext|>"}) {
                setIfPresent(tokens, rstrip, t, false);
            }
        }
        return SpecialSplitter.of(tokens, specials.stream().mapToInt(Integer::intValue).toArray(), rstrip, always);
    }

    private static void setIfPresent(String[] tokens, boolean[] flags, String token, boolean value) {
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i].equals(token)) {
                flags[i] = value;
            }
        }
    }

    /** The vocabulary this tokenizer was built from. */
    public GgufVocab vocab() {
        return vocab;
    }

    @Override
    public int[] encode(String text, boolean addSpecialTokens) {
        return encode(text, addSpecialTokens, true);
    }

    /**
     * Encodes as llama_tokenize(text, add_special, parse_special): with {@code parseSpecial} false only
     * user-defined tokens are cut out of the text, control tokens are tokenized as text.
     */
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        IntList out = new IntList(text.length() / 3 + 4);
        if (addSpecial && addBos && vocab.bosId() >= 0) {
            out.add(vocab.bosId());
        }
        List<SpecialSplitter.Fragment> fragments = splitter.split(text, parseSpecial);
        if (spm) {
            boolean prevSpecial = true;
            for (SpecialSplitter.Fragment f : fragments) {
                if (f.isText()) {
                    String piece = addSpacePrefix && prevSpecial ? " " + f.text() : f.text();
                    spmModel.encode(piece.replace(' ', '\u2581'), out);
                    prevSpecial = false;
                } else {
                    out.add(f.token());
                    prevSpecial = true;
                }
            }
        } else {
            List<String> words = new ArrayList<>();
            for (SpecialSplitter.Fragment f : fragments) {
                if (f.isText()) {
                    words.clear();
                    preTokenizer.split(f.text(), words);
                    for (String w : words) {
                        bpeModel.encodeWord(w, out);
                    }
                } else {
                    out.add(f.token());
                }
            }
        }
        if (addSpecial && addEos && vocab.eosId() >= 0) {
            out.add(vocab.eosId());
        }
        return out.toArray();
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 4);
        boolean first = true;
        for (int id : ids) {
            if (id < 0 || id >= pieces.length) {
                throw LlmException.badInput("token id " + id + " is outside the vocabulary of " + pieces.length);
            }
            int type = vocab.tokenType(id);
            if (skipSpecialTokens && (type == GgufVocab.TYPE_CONTROL || type == GgufVocab.TYPE_UNKNOWN)) {
                continue;
            }
            byte[] p = pieces[id];
            if (first && spm && addSpacePrefix && type == GgufVocab.TYPE_NORMAL && p.length > 0 && p[0] == ' ') {
                bytes.write(p, 1, p.length - 1);
            } else {
                bytes.write(p, 0, p.length);
            }
            first = false;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The bytes token {@code id} stands for in decoded text. */
    private byte[] piece(int id) {
        String text = vocab.tokens()[id];
        int type = vocab.tokenType(id);
        if (type == GgufVocab.TYPE_BYTE) {
            if (text.length() == 6 && text.startsWith("<0x") && text.endsWith(">")) {
                return new byte[] {(byte) Integer.parseInt(text.substring(3, 5), 16)};
            }
            int b = ByteLevel.byteOf(text.charAt(0));
            return new byte[] {(byte) (spm || b < 0 ? text.charAt(0) : b)};
        }
        if (type != GgufVocab.TYPE_NORMAL && type != GgufVocab.TYPE_UNUSED) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if (spm) {
            return text.replace('\u2581', ' ').getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            int b = ByteLevel.byteOf(text.charAt(i));
            if (b >= 0) {
                out.write(b);
            } else {
                out.writeBytes(String.valueOf(text.charAt(i)).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    @Override
    public int vocabSize() {
        return pieces.length;
    }

    @Override
    public int tokenId(String token) {
        Integer id = tokenToId.get(token);
        return id == null ? -1 : id;
    }
}
