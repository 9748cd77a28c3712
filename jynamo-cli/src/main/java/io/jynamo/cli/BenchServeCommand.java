package io.jynamo.cli;

import io.jynamo.api.engine.RequestStream;
import io.jynamo.api.output.EngineOutput;
import io.jynamo.api.request.PreprocessedRequest;
import io.jynamo.api.request.SamplingOptions;
import io.jynamo.api.request.StopConditions;
import io.jynamo.engine.EngineConfig;
import io.jynamo.engine.EngineException;
import io.jynamo.engine.ModelLoader;
import io.jynamo.engine.Model;
import io.jynamo.engine.Engines;
import io.jynamo.engine.ServingEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code jynamo dev bench-serve}: the serving engine's aggregate decode rate at several concurrencies,
 * in process (no HTTP), for comparing batching with llama.cpp's. Each stream gets its own random
 * prompt and generates exactly {@code --max-tokens} (EOS ignored).
 */
@Command(name = "bench-serve", mixinStandardHelpOptions = true,
        description = "Aggregate decode tokens/s of the serving engine at each concurrency in --streams. "
                + "Prints one JSON line per concurrency on standard output.")
final class BenchServeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, defaultValue = "${env:JYN_MODEL_PATH}",
            description = "GGUF file or Hugging Face model directory (env JYN_MODEL_PATH, default none: required)")
    Path model;

    @Option(names = "--streams", defaultValue = "${env:JYN_BENCH_STREAMS:-1,4,16,64}", split = ",",
            description = "concurrent streams to measure, comma-separated (env JYN_BENCH_STREAMS, default ${DEFAULT-VALUE})")
    int[] streams;

    @Option(names = "--prompt-tokens", defaultValue = "${env:JYN_BENCH_PROMPT_TOKENS:-32}",
            description = "prompt length per stream (env JYN_BENCH_PROMPT_TOKENS, default ${DEFAULT-VALUE})")
    int promptTokens;

    @Option(names = "--max-tokens", defaultValue = "${env:JYN_BENCH_MAX_TOKENS:-64}",
            description = "tokens each stream generates (env JYN_BENCH_MAX_TOKENS, default ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--warmup-ms", defaultValue = "${env:JYN_WARMUP_MS:-3000}",
            description = "JIT warm-up before the first measurement (env JYN_WARMUP_MS, default ${DEFAULT-VALUE})")
    long warmupMs;

    @Mixin
    EngineOptions engine;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (promptTokens < 1 || maxTokens < 3) {
            throw EngineException.badInput("--prompt-tokens must be >= 1 and --max-tokens >= 3");
        }
        int most = 0;
        for (int n : streams) {
            if (n < 1) {
                throw EngineException.badInput("--streams: each concurrency must be >= 1, got " + n);
            }
            most = Math.max(most, n);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Model m = ModelLoader.load(model)) {
            if (engine.maxNumSeqs < most) {
                engine.maxNumSeqs = most;
            }
            EngineConfig config = engine.toConfig(m.config(), model, null);
            try (ServingEngine e = Engines.start(m, config)) {
                if (warmupMs > 0) {
                    err.printf(Locale.ROOT, "warm-up: %.2f s%n", e.warmUp(warmupMs * 1_000_000L) / 1e9);
                }
                int vocab = m.config().vocabSize();
                for (int n : streams) {
                    Result r = measure(e, n, vocab);
                    out.printf(Locale.ROOT, "{\"streams\":%d,\"prompt_tokens\":%d,\"max_tokens\":%d,"
                                    + "\"decode_tokens\":%d,\"decode_s\":%.4f,\"decode_tok_s\":%.3f,"
                                    + "\"wall_s\":%.4f,\"overhead\":%.5f,\"threads\":%d}%n",
                            n, promptTokens, maxTokens, r.tokens, r.seconds, r.seconds > 0 ? r.tokens / r.seconds : 0, r.wallSeconds,
                            r.overhead, config.resolvedThreads());
                    out.flush();
                }
            }
        }
        return 0;
    }

    private record Result(long tokens, double seconds, double wallSeconds, double overhead) {}

    /**
     * Runs n streams together. The decode window opens once every stream has its second token (so
     * prefill and each stream's first decode step are outside it, as in llama.cpp's bench) and closes
     * at the last token; tokens are those that arrived inside it.
     */
    private Result measure(ServingEngine e, int n, int vocab) throws InterruptedException {
        SplittableRandom random = new SplittableRandom(42 + n);
        int low = Math.min(1000, vocab / 4);
        List<long[]> arrivals = new ArrayList<>();
        List<Thread> readers = new ArrayList<>();
        ServingEngine.StepProfile before = e.profile();
        String[] failure = new String[1];
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int[] prompt = random.ints(promptTokens, low, vocab).toArray();
            RequestStream s = e.submit(new PreprocessedRequest("bench-" + n + "-" + i, "bench", prompt,
                    SamplingOptions.GREEDY, new StopConditions(maxTokens, 0, null, true), null, 1));
            long[] times = new long[maxTokens];
            arrivals.add(times);
            readers.add(Thread.ofVirtual().start(() -> read(s, times, failure)));
        }
        for (Thread t : readers) {
            t.join();
        }
        if (failure[0] != null) {
            throw EngineException.badInput("a stream failed: " + failure[0]);
        }
        long end = System.nanoTime();
        long open = 0;
        long close = 0;
        for (long[] t : arrivals) {
            open = Math.max(open, t[1]);
            close = Math.max(close, t[maxTokens - 1]);
        }
        long tokens = 0;
        for (long[] t : arrivals) {
            for (long x : t) {
                if (x > open) {
                    tokens++;
                }
            }
        }
        ServingEngine.StepProfile after = e.profile();
        return new Result(tokens, (close - open) / 1e9, (end - start) / 1e9,
                after.overheadSince(before));
    }

    private static void read(RequestStream s, long[] times, String[] failure) {
        int k = 0;
        try {
            EngineOutput o;
            while ((o = s.take()) != null) {
                long now = System.nanoTime();
                if (o instanceof EngineOutput.Tokens t) {
                    for (int j = 0; j < t.tokenIds().length && k < times.length; j++) {
                        times[k++] = now;
                    }
                } else if (o instanceof EngineOutput.Failed f) {
                    failure[0] = f.message();
                }
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }
}
