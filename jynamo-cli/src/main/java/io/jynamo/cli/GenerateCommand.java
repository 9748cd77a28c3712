package io.jynamo.cli;

import io.jynamo.engine.EngineConfig;
import io.jynamo.engine.EngineException;
import io.jynamo.engine.GreedyGenerator;
import io.jynamo.engine.ModelLoader;
import io.jynamo.engine.Model;
import io.jynamo.engine.ModelConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code jynamo generate}: greedy generation from token ids, for checking and timing the engine. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Greedy generation from token ids. Prints the generated ids as one comma-separated line on "
                + "standard output; load time and prefill/decode tokens/s go to standard error.")
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, defaultValue = "${env:JYN_MODEL_PATH}",
            description = "GGUF file or Hugging Face model directory (env JYN_MODEL_PATH, default none: required)")
    Path model;

    @Option(names = "--prompt-ids", required = true, defaultValue = "${env:JYN_PROMPT_IDS}",
            description = "prompt token ids, comma-separated (env JYN_PROMPT_IDS, default none: required)")
    String promptIds;

    @Option(names = "--max-tokens", defaultValue = "${env:JYN_GENERATE_MAX_TOKENS:-16}",
            description = "tokens to generate (env JYN_GENERATE_MAX_TOKENS, default ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--threads", defaultValue = "${env:JYN_THREADS:-0}",
            description = "compute threads, 0 = all cores (env JYN_THREADS, default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--batch-size", defaultValue = "${env:JYN_BATCH_SIZE:-512}",
            description = "prompt tokens per forward pass (env JYN_BATCH_SIZE, default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--context-length", defaultValue = "${env:JYN_CONTEXT_LENGTH:-0}",
            description = "longest sequence, 0 = the model's (env JYN_CONTEXT_LENGTH, default ${DEFAULT-VALUE})")
    int contextLength;

    @Option(names = "--kv-cache-block-size", defaultValue = "${env:JYN_KV_CACHE_BLOCK_SIZE:-16}",
            description = "tokens per KV cache block (env JYN_KV_CACHE_BLOCK_SIZE, default ${DEFAULT-VALUE})")
    int blockSize;

    @Option(names = "--kv-cache-memory-mb", defaultValue = "${env:JYN_KV_CACHE_MEMORY_MB:-0}",
            description = "memory for the paged KV cache pool, in MiB; 0 = what this generation needs (env JYN_KV_CACHE_MEMORY_MB, default ${DEFAULT-VALUE})")
    long kvCacheMemoryMb;

    @Option(names = "--warmup-ms", defaultValue = "${env:JYN_WARMUP_MS:-1500}",
            description = "run the kernels this long before timing, so the JIT has compiled them, 0 = none (env JYN_WARMUP_MS, default ${DEFAULT-VALUE})")
    long warmupMs;

    @Option(names = "--print-logits", defaultValue = "${env:JYN_PRINT_LOGITS:-false}",
            description = "also print the logits at the last prompt position on standard error, as 'logits: v,v,…' "
                    + "(env JYN_PRINT_LOGITS, default ${DEFAULT-VALUE})")
    boolean printLogits;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        int[] prompt = parseIds(promptIds);
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        try (Model m = ModelLoader.load(model)) {
            ModelConfig c = m.config();
            int kvTokens = kvCacheTokens(c, prompt.length);
            try (GreedyGenerator gen = new GreedyGenerator(m,
                    new GreedyGenerator.Options(threads, batchSize, contextLength, blockSize, kvTokens))) {
                gen.validate(prompt, maxTokens);
                double loadS = (System.nanoTime() - t0) / 1e9;
                err.printf(Locale.ROOT, "loaded %s: %s, %d layers, dim %d, %d heads (%d KV), vocab %d, in %.2f s%n",
                        model, c.architecture().name().toLowerCase(Locale.ROOT), c.layers(), c.dim(), c.heads(),
                        c.kvHeads(), c.vocabSize(), loadS);
                if (warmupMs > 0) {
                    long w = gen.warmUp(warmupMs * 1_000_000L);
                    err.printf(Locale.ROOT, "warm-up: %.2f s%n", w / 1e9);
                }
                GreedyGenerator.Result r = gen.generate(prompt, maxTokens);
                out.println(join(r.tokens()));
                out.flush();
                report(err, r, prompt.length, loadS);
                err.flush();
            }
        }
        return 0;
    }

    /** Timings for people, a {@code stats:} JSON line for scripts, and the logits when asked. */
    private void report(PrintWriter err, GreedyGenerator.Result r, int promptTokens, double loadS) {
        double prefill = r.prefillTokensPerSecond(promptTokens);
        err.printf(Locale.ROOT, "prefill: %d tokens in %.3f s (%.1f tokens/s)%n", promptTokens,
                r.prefillNanos() / 1e9, prefill);
        err.printf(Locale.ROOT, "decode: %d tokens in %.3f s (%.2f tokens/s)%n", r.decodeSteps(),
                r.decodeNanos() / 1e9, r.decodeTokensPerSecond());
        err.printf(Locale.ROOT, "stats: {\"load_s\":%.3f,\"prefill_tokens\":%d,\"prefill_tok_s\":%.3f,"
                        + "\"decode_tokens\":%d,\"decode_tok_s\":%.3f}%n", loadS, promptTokens, prefill,
                r.decodeSteps(), r.decodeTokensPerSecond());
        if (printLogits) {
            float[] logits = r.promptLogits();
            StringBuilder sb = new StringBuilder(logits.length * 12).append("logits: ");
            for (int i = 0; i < logits.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(logits[i]);
            }
            err.println(sb);
        }
    }

    /** Tokens the KV pool holds: from the memory budget, or just this generation's when none is set. */
    private int kvCacheTokens(ModelConfig c, int promptTokens) {
        if (kvCacheMemoryMb < 0) {
            throw EngineException.badInput("--kv-cache-memory-mb must be >= 0, got " + kvCacheMemoryMb);
        }
        if (blockSize < 1) {
            throw EngineException.badInput("--kv-cache-block-size must be >= 1, got " + blockSize);
        }
        if (kvCacheMemoryMb == 0) {
            return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (long) promptTokens + Math.max(maxTokens, 0)));
        }
        int blocks = EngineConfig.kvBlocksForBudget(kvCacheMemoryMb << 20, c, blockSize);
        if (blocks == 0) {
            throw EngineException.badInput("--kv-cache-memory-mb " + kvCacheMemoryMb + " holds no KV block of "
                    + blockSize + " tokens for this model");
        }
        return (int) Math.min(Integer.MAX_VALUE, (long) blocks * blockSize);
    }

    static int[] parseIds(String text) {
        String[] parts = text.trim().split("\\s*,\\s*");
        if (text.isBlank()) {
            throw EngineException.badInput("--prompt-ids is empty: give at least one token id");
        }
        int[] ids = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                ids[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw EngineException.badInput("--prompt-ids: '" + parts[i] + "' is not a token id");
            }
        }
        return ids;
    }

    private static String join(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(ids[i]);
        }
        return sb.toString();
    }
}
