package io.jynamo.llm;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The files a frontend needs to rebuild a {@link ModelCard} on another host, without the weights. A
 * Hugging Face model gives its tokenizer files as they are; a GGUF model gives its vocabulary as one
 * file, {@value #GGUF_VOCAB}: a gzip'd binary of {@link GgufVocab}'s fields (layout in {@link #encodeVocab}).
 * A worker publishes these files; a frontend writes them into a directory and calls {@link #load}.
 */
public final class CardFiles {
    /** The Hugging Face files a card is built from, those present are taken. */
    public static final List<String> HF_FILES = List.of("tokenizer.json", "tokenizer_config.json",
            "chat_template.jinja", "generation_config.json");
    /** The one file of a card built from a GGUF vocabulary. */
    public static final String GGUF_VOCAB = "gguf-vocab.bin.gz";
    /**
     * A chat template file; among a GGUF card's files it overrides the vocabulary's template, as in a
     * Hugging Face directory it overrides tokenizer_config.json's ({@code --chat-template FILE}).
     */
    public static final String CHAT_TEMPLATE = "chat_template.jinja";

    private static final int MAGIC = 0x4a594e56; // "JYNV"
    private static final int VERSION = 1;

    private CardFiles() {
    }

    /** The card files of a Hugging Face model directory (tokenizer.json required). */
    public static Map<String, byte[]> ofHuggingFaceDirectory(Path dir) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : HF_FILES) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                try {
                    files.put(name, Files.readAllBytes(p));
                } catch (IOException e) {
                    throw LlmException.badInput("cannot read " + p + ": " + e.getMessage(), e);
                }
            }
        }
        if (!files.containsKey("tokenizer.json")) {
            throw LlmException.notFound(dir + " has no tokenizer.json");
        }
        return files;
    }

    /** The card file of a GGUF vocabulary. */
    public static Map<String, byte[]> ofGgufVocab(GgufVocab vocab) {
        return Map.of(GGUF_VOCAB, encodeVocab(vocab));
    }

    /**
     * The card files with {@code template} as the chat template ({@value #CHAT_TEMPLATE}), whatever
     * the model's files say.
     */
    public static Map<String, byte[]> withChatTemplate(Map<String, byte[]> files, String template) {
        if (template == null || template.isBlank()) {
            throw LlmException.badInput("the chat template is empty");
        }
        Map<String, byte[]> all = new LinkedHashMap<>(files);
        all.put(CHAT_TEMPLATE, template.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return all;
    }

    /**
     * Builds the card from a directory holding card files ({@link #GGUF_VOCAB}, or the Hugging Face
     * files). The context length must be given: config.json does not travel.
     */
    public static ModelCard load(Path dir, String servedName, int contextLength, int kvBlockSize, Clock clock) {
        if (contextLength <= 0) {
            throw LlmException.badInput("a published card needs a positive context length, got " + contextLength);
        }
        Path vocab = dir.resolve(GGUF_VOCAB);
        if (Files.isRegularFile(vocab)) {
            try {
                GgufVocab v = decodeVocab(Files.readAllBytes(vocab));
                Path template = dir.resolve(CHAT_TEMPLATE);
                if (Files.isRegularFile(template)) {
                    v = v.withChatTemplate(Files.readString(template));
                }
                return ModelCards.fromGguf(v, servedName, contextLength, kvBlockSize, clock);
            } catch (IOException e) {
                throw LlmException.badInput("cannot read " + vocab + ": " + e.getMessage(), e);
            }
        }
        return ModelCards.fromHuggingFaceDirectory(dir, servedName, contextLength, kvBlockSize, clock);
    }

    /**
     * Layout (big-endian, inside gzip): magic "JYNV", version 1, then model, pre, the token count, the
     * tokens, a flag and the scores, a flag and the token types, a flag, a count and the merges, the four
     * special ids, addBos/addEos/addSpacePrefix as a byte each (-1 null, 0 false, 1 true), modelName and
     * chatTemplate. Strings are a flag (absent or present) then a length-prefixed UTF-8 array.
     */
    public static byte[] encodeVocab(GgufVocab v) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes, 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            writeString(out, v.model());
            writeString(out, v.pre());
            String[] tokens = v.tokens();
            out.writeInt(tokens.length);
            for (String t : tokens) {
                writeString(out, t);
            }
            out.writeBoolean(v.scores() != null);
            if (v.scores() != null) {
                for (float s : v.scores()) {
                    out.writeFloat(s);
                }
            }
            out.writeBoolean(v.tokenTypes() != null);
            if (v.tokenTypes() != null) {
                for (int t : v.tokenTypes()) {
                    out.writeInt(t);
                }
            }
            out.writeBoolean(v.merges() != null);
            if (v.merges() != null) {
                out.writeInt(v.merges().length);
                for (String m : v.merges()) {
                    writeString(out, m);
                }
            }
            out.writeInt(v.bosId());
            out.writeInt(v.eosId());
            out.writeInt(v.unkId());
            out.writeInt(v.padId());
            for (Boolean b : new Boolean[] {v.addBos(), v.addEos(), v.addSpacePrefix()}) {
                out.writeByte(b == null ? -1 : b ? 1 : 0);
            }
            writeString(out, v.modelName());
            writeString(out, v.chatTemplate());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads what {@link #encodeVocab} wrote; anything else fails with a bad-input error. */
    public static GgufVocab decodeVocab(byte[] data) {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(new ByteArrayInputStream(data)))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw LlmException.badInput("not a Jynamo GGUF vocabulary file (version " + VERSION + ")");
            }
            String model = readString(in);
            String pre = readString(in);
            int n = count(in.readInt());
            String[] tokens = new String[n];
            for (int i = 0; i < n; i++) {
                tokens[i] = readString(in);
            }
            float[] scores = null;
            if (in.readBoolean()) {
                scores = new float[n];
                for (int i = 0; i < n; i++) {
                    scores[i] = in.readFloat();
                }
            }
            int[] types = null;
            if (in.readBoolean()) {
                types = new int[n];
                for (int i = 0; i < n; i++) {
                    types[i] = in.readInt();
                }
            }
            String[] merges = null;
            if (in.readBoolean()) {
                merges = new String[count(in.readInt())];
                for (int i = 0; i < merges.length; i++) {
                    merges[i] = readString(in);
                }
            }
            int bos = in.readInt();
            int eos = in.readInt();
            int unk = in.readInt();
            int pad = in.readInt();
            Boolean addBos = readFlag(in);
            Boolean addEos = readFlag(in);
            Boolean addSpace = readFlag(in);
            return new GgufVocab(model, pre, tokens, scores, types, merges, bos, eos, unk, pad, addBos, addEos,
                    addSpace, readString(in), readString(in));
        } catch (IOException e) {
            throw LlmException.badInput("a GGUF vocabulary file is truncated or corrupt: " + e.getMessage(), e);
        }
    }

    private static int count(int n) {
        if (n < 0 || n > 16_000_000) {
            throw LlmException.badInput("a GGUF vocabulary file has an impossible count " + n);
        }
        return n;
    }

    private static Boolean readFlag(DataInputStream in) throws IOException {
        byte b = in.readByte();
        return b < 0 ? null : b == 1;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        int len = in.readInt();
        if (len < 0 || len > (64 << 20)) {
            throw LlmException.badInput("a GGUF vocabulary file has an impossible string length " + len);
        }
        return new String(in.readNBytes(len), java.nio.charset.StandardCharsets.UTF_8);
    }
}
