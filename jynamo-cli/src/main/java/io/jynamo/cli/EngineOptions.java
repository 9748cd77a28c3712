package io.jynamo.cli;

import io.jynamo.engine.EngineConfig;
import io.jynamo.engine.EngineException;
import io.jynamo.engine.kv.KvCacheConfig;
import io.jynamo.engine.model.ModelConfig;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The serving engine's settings as command-line flags, shared by every command that runs one. Each
 * flag also reads a {@code JYN_*} variable; flag names follow vLLM's and SGLang's.
 */
final class EngineOptions {
    /** What the KV pool takes when no size is given: 4 GiB, as vLLM's CPU backend does by default. */
    static final long DEFAULT_KV_BYTES = 4L << 30;

    @Option(names = "--threads", defaultValue = "${env:JYN_THREADS:-0}",
            description = "compute threads, 0 = all cores (env JYN_THREADS)")
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

    @Option(names = "--context-length", defaultValue = "${env:JYN_CONTEXT_LENGTH:-0}",
            description = "longest sequence (prompt + output), 0 = the model's own (env JYN_CONTEXT_LENGTH)")
    int contextLength;

    @Option(names = "--kv-cache-block-size", defaultValue = "${env:JYN_KV_CACHE_BLOCK_SIZE:-16}",
            description = "tokens per KV cache block (env JYN_KV_CACHE_BLOCK_SIZE, default ${DEFAULT-VALUE})")
    int blockSize;

    @Option(names = "--kv-cache-blocks", defaultValue = "${env:JYN_KV_CACHE_BLOCKS:-0}",
            description = "KV cache blocks in the pool; 0 = from --mem-fraction-static, else 4 GiB worth "
                    + "(env JYN_KV_CACHE_BLOCKS)")
    int kvCacheBlocks;

    @Option(names = "--mem-fraction-static", defaultValue = "${env:JYN_MEM_FRACTION_STATIC:-0}",
            description = "share of RAM for weights + KV cache (0..1]; the KV pool gets what the weights leave; "
                    + "0 = unset (env JYN_MEM_FRACTION_STATIC)")
    double memFractionStatic;

    /** The engine's configuration for this model, with the KV pool sized as the flags say. */
    EngineConfig toConfig(ModelConfig model, Path modelPath, int[] eosTokenIds) {
        if (kvCacheBlocks < 0) {
            throw EngineException.badInput("--kv-cache-blocks must be >= 0, got " + kvCacheBlocks);
        }
        if (!(memFractionStatic >= 0 && memFractionStatic <= 1)) {
            throw EngineException.badInput("--mem-fraction-static must be in (0, 1], got " + memFractionStatic);
        }
        if (blockSize < 1) {
            throw EngineException.badInput("--kv-cache-block-size must be >= 1, got " + blockSize);
        }
        long tokens = (long) kvBlocks(model, modelPath) * blockSize;
        return new EngineConfig(threads, maxNumSeqs, maxNumBatchedTokens, maxWaiting, contextLength, blockSize,
                (int) Math.min(Integer.MAX_VALUE, tokens), eosTokenIds);
    }

    private int kvBlocks(ModelConfig model, Path modelPath) {
        if (kvCacheBlocks > 0) {
            return kvCacheBlocks;
        }
        int ctx = contextLength == 0 ? model.contextLength() : Math.min(contextLength, model.contextLength());
        long wanted = ((long) maxNumSeqs * ctx + blockSize - 1) / blockSize;
        long budget;
        if (memFractionStatic > 0) {
            long ram = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getTotalMemorySize();
            long weights = weightBytes(modelPath);
            budget = (long) (ram * memFractionStatic) - weights;
            if (budget <= 0) {
                throw EngineException.badInput(String.format(java.util.Locale.ROOT,
                        "--mem-fraction-static %.2f gives %.1f GiB, which the weights (%.1f GiB) already fill; raise it",
                        memFractionStatic, ram * memFractionStatic / (1 << 30), weights / (double) (1 << 30)));
            }
        } else {
            budget = DEFAULT_KV_BYTES;
        }
        int fit = KvCacheConfig.blocksForBudget(budget, model.layers(), model.kvHeads(), model.headDim(), blockSize);
        if (fit == 0) {
            throw EngineException.badInput("the KV cache budget of " + (budget >> 20) + " MiB holds no block of "
                    + blockSize + " tokens for this model");
        }
        // Without an explicit fraction, take no more than the sequences can use.
        return memFractionStatic > 0 ? fit : (int) Math.min(fit, Math.max(1, wanted));
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
