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
    @Option(names = {"--family", "--arch"}, defaultValue = "llama3",
            description = "llama2, llama3, mistral, qwen2 or qwen3 (default ${DEFAULT-VALUE})")
    String family;

    @Option(names = "--dim", defaultValue = "256") int dim;
    @Option(names = "--layers", defaultValue = "2") int layers;
    @Option(names = "--heads", defaultValue = "4") int heads;
    @Option(names = "--kv-heads", defaultValue = "2") int kvHeads;
    @Option(names = "--head-dim", defaultValue = "0", description = "0 = dim / heads") int headDim;
    @Option(names = "--ffn", defaultValue = "512") int ffn;
    @Option(names = "--tied", description = "tie the output matrix to the embeddings") boolean tied;
    @Option(names = "--seed", defaultValue = "42") long seed;
    @Option(names = "--std", defaultValue = "0.02") float std;
    @Option(names = "--context-length", defaultValue = "4096") int contextLength;

    @Option(names = "--types", defaultValue = "q8_0", split = ",",
            description = "GGUF weight types to write: f32, f16, bf16, q8_0, q4_0, q4_k (Q4_K_M-like), q6_k")
    List<String> types = new ArrayList<>();

    @Option(names = "--hf", split = ",", description = "also write Hugging Face directories in these dtypes: f32, f16, bf16")
    List<String> hf = new ArrayList<>();

    @Option(names = "--shard-bytes", defaultValue = "0", description = "split safetensors into shards of this size (0 = one file)")
    long shardBytes;

    @Option(names = "--out", required = true, description = "output directory")
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
