package io.jynamo.cli;

import io.jynamo.engine.EngineException;
import io.jynamo.engine.GgmlType;
import io.jynamo.testkit.ModelFamily;
import io.jynamo.testkit.TestAssets;
import io.jynamo.testkit.TestModelGenerator;
import io.jynamo.testkit.TestModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code jynamo dev make-model}: writes a random-weight model with a real tokenizer vocabulary. */
@Command(name = "make-model", mixinStandardHelpOptions = true,
        description = "Writes a random-weight test model (its answers are noise) as GGUF files, one per weight "
                + "type (OUT/model-<type>.gguf), and optionally as Hugging Face directories (OUT/hf-<dtype>/).")
final class MakeModelCommand implements Callable<Integer> {
    @Option(names = {"--family", "--arch"}, defaultValue = "${env:JYN_MAKE_MODEL_FAMILY:-llama3}",
            description = "llama2, llama3, mistral, qwen2 or qwen3 (env JYN_MAKE_MODEL_FAMILY, default ${DEFAULT-VALUE})")
    String family;

    @Option(names = "--dim", defaultValue = "${env:JYN_MAKE_MODEL_DIM:-256}",
            description = "model width (env JYN_MAKE_MODEL_DIM, default ${DEFAULT-VALUE})") int dim;
    @Option(names = "--layers", defaultValue = "${env:JYN_MAKE_MODEL_LAYERS:-2}",
            description = "decoder layers (env JYN_MAKE_MODEL_LAYERS, default ${DEFAULT-VALUE})") int layers;
    @Option(names = "--heads", defaultValue = "${env:JYN_MAKE_MODEL_HEADS:-4}",
            description = "attention heads (env JYN_MAKE_MODEL_HEADS, default ${DEFAULT-VALUE})") int heads;
    @Option(names = "--kv-heads", defaultValue = "${env:JYN_MAKE_MODEL_KV_HEADS:-2}",
            description = "key/value heads (env JYN_MAKE_MODEL_KV_HEADS, default ${DEFAULT-VALUE})") int kvHeads;
    @Option(names = "--head-dim", defaultValue = "${env:JYN_MAKE_MODEL_HEAD_DIM:-0}",
            description = "dimensions per head, 0 = dim / heads (env JYN_MAKE_MODEL_HEAD_DIM, default ${DEFAULT-VALUE})") int headDim;
    @Option(names = "--ffn", defaultValue = "${env:JYN_MAKE_MODEL_FFN:-512}",
            description = "feed-forward width (env JYN_MAKE_MODEL_FFN, default ${DEFAULT-VALUE})") int ffn;
    @Option(names = "--tied", defaultValue = "${env:JYN_MAKE_MODEL_TIED:-false}",
            description = "tie the output matrix to the embeddings (env JYN_MAKE_MODEL_TIED, default ${DEFAULT-VALUE})") boolean tied;
    @Option(names = "--seed", defaultValue = "${env:JYN_MAKE_MODEL_SEED:-42}",
            description = "seed of the random weights (env JYN_MAKE_MODEL_SEED, default ${DEFAULT-VALUE})") long seed;
    @Option(names = "--std", defaultValue = "${env:JYN_MAKE_MODEL_STD:-0.02}",
            description = "standard deviation of the random weights (env JYN_MAKE_MODEL_STD, default ${DEFAULT-VALUE})") float std;
    @Option(names = "--context-length", defaultValue = "${env:JYN_MAKE_MODEL_CONTEXT_LENGTH:-4096}",
            description = "the model's context length (env JYN_MAKE_MODEL_CONTEXT_LENGTH, default ${DEFAULT-VALUE})") int contextLength;

    @Option(names = "--types", defaultValue = "${env:JYN_MAKE_MODEL_TYPES:-q8_0}", split = ",",
            description = "GGUF weight types to write: f32, f16, bf16, q8_0, q4_0, q4_k (Q4_K_M-like), q6_k "
                    + "(env JYN_MAKE_MODEL_TYPES, default ${DEFAULT-VALUE})")
    List<String> types = new ArrayList<>();

    @Option(names = "--hf", split = ",", defaultValue = "${env:JYN_MAKE_MODEL_HF}",
            description = "also write Hugging Face directories in these dtypes: f32, f16, bf16 "
                    + "(env JYN_MAKE_MODEL_HF, default none)")
    List<String> hf = new ArrayList<>();

    @Option(names = "--shard-bytes", defaultValue = "${env:JYN_MAKE_MODEL_SHARD_BYTES:-0}",
            description = "split safetensors into shards of this size, 0 = one file "
                    + "(env JYN_MAKE_MODEL_SHARD_BYTES, default ${DEFAULT-VALUE})")
    long shardBytes;

    @Option(names = "--out", required = true, defaultValue = "${env:JYN_MAKE_MODEL_OUT}",
            description = "output directory (env JYN_MAKE_MODEL_OUT, default none: required)")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
        TestModelSpec spec = new TestModelSpec(ModelFamily.byName(family), dim, layers, heads, kvHeads, headDim, ffn,
                tied, seed, std, contextLength);
        TestModelGenerator gen = new TestModelGenerator(TestAssets.locate());
        for (String t : types) {
            GgmlType type = GgmlType.parse(t);
            Path file = out.resolve("model-" + type.name().toLowerCase(Locale.ROOT) + ".gguf");
            long t0 = System.nanoTime();
            gen.writeGguf(spec, type, file);
            command.commandLine().getErr().printf(Locale.ROOT, "wrote %s in %.1f s%n", file, (System.nanoTime() - t0) / 1e9);
        }
        for (String d : hf) {
            GgmlType dtype = GgmlType.parse(d);
            if (dtype.quantized()) {
                throw EngineException.badInput("--hf takes f32, f16 or bf16, not " + d);
            }
            Path dir = out.resolve("hf-" + dtype.name().toLowerCase(Locale.ROOT));
            gen.writeHuggingFace(spec, dtype, dir, shardBytes);
            command.commandLine().getErr().println("wrote " + dir);
        }
        return 0;
    }
}
