package io.jynamo.cli;

import io.jynamo.engine.EngineConfig;
import io.jynamo.engine.EngineException;
import io.jynamo.engine.ModelConfig;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The serving engine's settings as command-line flags, shared by every command that runs one. Each
 * flag also reads a {@code JYN_*} variable; flag names follow vLLM's and SGLang's.
 */
final class EngineOptions {
    @Option(names = "--threads", defaultValue = "${env:JYN_THREADS:-0}",
            description = "compute threads, 0 = all cores (env JYN_THREADS, default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--max-num-seqs", defaultValue = "${env:JYN_MAX_NUM_SEQS:-64}",
            description = "most sequences running at once (env JYN_MAX_NUM_SEQS, default ${DEFAULT-VALUE})")
    int maxNumSeqs;

    @Option(names = "--max-num-batched-tokens", defaultValue = "${env:JYN_MAX_NUM_BATCHED_TOKENS:-512}",
            description = "most tokens in one step: decode tokens plus prompt chunks "
                    + "(env JYN_MAX_NUM_BATCHED_TOKENS, default ${DEFAULT-VALUE})")
    int maxNumBatchedTokens;

    @Option(names = "--max-waiting", defaultValue = "${env:JYN_MAX_WAITING:-1024}",
            description = "requests queued beyond the running ones before new ones are refused as overloaded "
                    + "(env JYN_MAX_WAITING, default ${DEFAULT-VALUE})")
    int maxWaiting;

    @Option(names = {"--context-length", "--max-model-len"}, defaultValue = "${env:JYN_CONTEXT_LENGTH:-0}",
            description = "longest sequence (prompt + output), 0 = the model's own; more than the model's is capped "
                    + "(env JYN_CONTEXT_LENGTH, default ${DEFAULT-VALUE})")
    int contextLength;

    @Option(names = "--kv-cache-block-size", defaultValue = "${env:JYN_KV_CACHE_BLOCK_SIZE:-16}",
            description = "tokens per KV cache block (env JYN_KV_CACHE_BLOCK_SIZE, default ${DEFAULT-VALUE})")
    int blockSize;

    @Option(names = "--kv-cache-blocks", defaultValue = "${env:JYN_KV_CACHE_BLOCKS:-0}",
            description = "KV cache blocks in the pool; 0 = from --mem-fraction-static, else 4 GiB worth "
                    + "(env JYN_KV_CACHE_BLOCKS, default ${DEFAULT-VALUE})")
    int kvCacheBlocks;

    @Option(names = {"--mem-fraction-static", "--gpu-memory-utilization"},
            defaultValue = "${env:JYN_MEM_FRACTION_STATIC:-0}",
            description = "share of RAM (or GPU memory) for weights + KV cache, in (0, 1]; the KV pool gets what the "
                    + "weights leave; 0 = unset (env JYN_MEM_FRACTION_STATIC, default ${DEFAULT-VALUE})")
    double memFractionStatic;

    /** The engine's configuration for this model, with the KV pool sized as the flags say (checked here, once). */
    EngineConfig toConfig(ModelConfig model, Path modelPath, int[] eosTokenIds) {
        EngineConfig config = settings(memFractionStatic > 0 ? weightBytes(modelPath) : 0, eosTokenIds);
        config.conclude(model);
        return config;
    }

    /**
     * Checks the flags' ranges before a model is loaded, so a bad value starts nothing; the error names the
     * alias too, whichever name was typed.
     */
    void validate() {
        try {
            settings(0, null);
        } catch (EngineException e) {
            String m = e.getMessage();
            for (String[] alias : ALIASES) {
                if (m.startsWith(alias[0] + " ")) {
                    m = alias[0] + " (" + alias[1] + ")" + m.substring(alias[0].length());
                }
            }
            throw CliException.badInput(m);
        }
    }

    private static final String[][] ALIASES = {{"--context-length", "--max-model-len"},
        {"--mem-fraction-static", "--gpu-memory-utilization"}};

    private EngineConfig settings(long weightBytes, int[] eosTokenIds) {
        return new EngineConfig(threads, maxNumSeqs, maxNumBatchedTokens, maxWaiting, contextLength, blockSize, 0,
                kvCacheBlocks, memFractionStatic, weightBytes, eosTokenIds);
    }

    /** The context length served for this model: the flag capped by the model's own. */
    int contextLength(ModelConfig model) {
        return EngineConfig.contextLength(contextLength, model);
    }

    /** Bytes of the weight files: the GGUF file, or the safetensors files of a model directory. */
    static long weightBytes(Path modelPath) {
        try {
            if (!Files.isDirectory(modelPath)) {
                return Files.size(modelPath);
            }
            try (Stream<Path> files = Files.list(modelPath)) {
                return files.filter(p -> p.getFileName().toString().endsWith(".safetensors"))
                        .mapToLong(p -> {
                            try {
                                return Files.size(p);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }).sum();
            }
        } catch (IOException | UncheckedIOException e) {
            throw EngineException.badInput("cannot read the size of " + modelPath + ": " + e.getMessage());
        }
    }
}
