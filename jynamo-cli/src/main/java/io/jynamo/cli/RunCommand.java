package io.jynamo.cli;

import io.jynamo.api.request.SamplingOptions;
import io.jynamo.frontend.FrontendConfig;
import io.jynamo.frontend.HttpFrontend;
import io.jynamo.router.RouterMode;
import io.jynamo.worker.WorkerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code jynamo run in=http|text|batch:FILE out=MODEL|echo}: frontend and worker in one JVM, no etcd
 * or NATS: the distributed path on in-memory discovery and the in-process planes ({@link Embedded}).
 * {@code out} is a GGUF file or a Hugging Face directory, or {@code echo} (the prompt streamed back,
 * with {@code --model}'s tokenizer) for testing the frontend alone. {@code out=dyn} serves the models
 * of a distributed deployment instead ({@link DynamicFrontend}).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Serve a model: in=http (OpenAI API, default), in=text (chat in the terminal) or "
                + "in=batch:FILE (JSONL prompts to JSONL results); out=MODEL_PATH or out=echo.")
final class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "in=…|out=…", description = "in=http|text|batch:FILE and out=MODEL_PATH|echo")
    List<String> io = new ArrayList<>();

    @Option(names = "--model", defaultValue = "${env:JYN_MODEL_PATH}",
            description = "model path (same as out=PATH); with out=echo, where the tokenizer and chat template come from")
    Path model;

    @Option(names = "--served-model-name", defaultValue = "${env:JYN_SERVED_MODEL_NAME}",
            description = "the name clients ask for (default: the model's file or directory name)")
    String servedModelName;

    @Option(names = "--http-host", defaultValue = "${env:JYN_HTTP_HOST:-0.0.0.0}",
            description = "address to listen on (env JYN_HTTP_HOST, default ${DEFAULT-VALUE})")
    String httpHost;

    @Option(names = "--http-port", defaultValue = "${env:JYN_HTTP_PORT:-8000}",
            description = "port to listen on, 0 = any free one (env JYN_HTTP_PORT, default ${DEFAULT-VALUE})")
    int httpPort;

    @Option(names = "--echo-delay-ms", defaultValue = "${env:JYN_ECHO_DELAY_MS:-0}",
            description = "out=echo: pause before each echoed token (env JYN_ECHO_DELAY_MS)")
    double echoDelayMs;

    @Option(names = "--warmup-ms", defaultValue = "${env:JYN_WARMUP_MS:-3000}",
            description = "run small batches through every kernel before serving, at most this long (env JYN_WARMUP_MS)")
    long warmupMs;

    @Option(names = "--max-tokens", defaultValue = "512",
            description = "in=text and in=batch: most tokens per answer (default ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--temperature",
            description = "in=text and in=batch: sampling temperature, 0 = greedy (default: the model's "
                    + "generation_config.json, else 1.0 as in the OpenAI API)")
    Float temperature;

    @Option(names = "--output", description = "in=batch: where the JSONL results go (default: standard output)")
    Path output;

    @Option(names = "--router-mode", defaultValue = "${env:JYN_ROUTER_MODE:-round-robin}",
            description = "how a request's worker is chosen: round-robin or random (env JYN_ROUTER_MODE, "
                    + "default ${DEFAULT-VALUE})")
    String routerMode;

    @Option(names = "--discovery", defaultValue = "${env:JYN_DISCOVERY}",
            description = "out=dyn: file:DIR for discovery in a directory on one host; etcd is used when ETCD_ENDPOINTS "
                    + "is set (env JYN_DISCOVERY)")
    String discovery;

    @Option(names = "--card-cache", defaultValue = "${env:JYN_CARD_CACHE}",
            description = "out=dyn: where model card files fetched from workers are kept (env JYN_CARD_CACHE, "
                    + "default ~/.jynamo/cards)")
    Path cardCache;

    @Mixin
    EngineOptions engine;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String in = "http";
        String out = null;
        for (String arg : io) {
            if (arg.startsWith("in=")) {
                in = arg.substring(3);
            } else if (arg.startsWith("out=")) {
                out = arg.substring(4);
            } else {
                throw CliException.badInput("expected in=… or out=…, got '" + arg + "'");
            }
        }
        if (out == null) {
            if (model == null) {
                throw CliException.badInput("say what to serve: out=MODEL_PATH (a GGUF file or a Hugging Face directory) "
                        + "or out=echo");
            }
            out = model.toString();
        }
        if (!in.equals("http") && !in.equals("text") && !in.startsWith("batch:")) {
            throw CliException.badInput("in must be http, text or batch:FILE, got '" + in + "'");
        }
        PrintWriter err = spec.commandLine().getErr();
        if (out.equals("dyn")) {
            if (!in.equals("http")) {
                throw CliException.badInput("out=dyn serves the OpenAI API only: use in=http");
            }
            return DynamicFrontend.serve(FrontendConfig.defaults().withHost(httpHost).withPort(httpPort), routerMode,
                    discovery, cardCache, err);
        }
        try (Serving serving = open(out, err)) {
            if (in.equals("http")) {
                return serveHttp(serving, err);
            }
            SamplingOptions defaults = serving.card().samplingDefaults();
            SamplingOptions sampling = temperature == null ? defaults : defaults.withTemperature(temperature);
            if (in.equals("text")) {
                return new TextChat(serving, sampling, maxTokens).run(System.in, spec.commandLine().getOut(), err);
            }
            Path file = Path.of(in.substring("batch:".length()));
            return new BatchRun(serving, sampling, maxTokens, engine.maxNumSeqs + engine.maxWaiting)
                    .run(file, output, spec.commandLine().getOut(), err);
        }
    }

    /** Assembles the embedded deployment (a worker and the frontend's model watcher) and serves its model. */
    private Serving open(String out, PrintWriter err) throws InterruptedException {
        Path path;
        WorkerConfig.EngineKind kind;
        if (out.equals("echo")) {
            if (model == null) {
                throw CliException.badInput("out=echo takes its tokenizer and chat template from --model PATH");
            }
            path = model;
            kind = WorkerConfig.EngineKind.ECHO;
        } else {
            path = Path.of(out);
            kind = WorkerConfig.EngineKind.JYNAMO;
        }
        if (!Files.exists(path)) {
            throw CliException.badInput("model not found: " + path);
        }
        RouterMode mode = RouterMode.parse(routerMode);
        if (kind == WorkerConfig.EngineKind.JYNAMO) {
            LoadProgress.preload(path, err, LoadProgress.stderrIsTerminal());
        }
        WorkerConfig config = new WorkerConfig(path, name(path), "dynamo", kind,
                (m, eos) -> engine.toConfig(m, path, eos), engine.contextLength, engine.blockSize,
                (long) (echoDelayMs * 1e6), kind == WorkerConfig.EngineKind.ECHO ? 0 : warmupMs);
        Embedded embedded = Embedded.start(config, mode, err);
        return new Serving(embedded.model().card(), embedded.model().engine(), embedded);
    }

    private String name(Path path) {
        return servedModelName != null && !servedModelName.isBlank() ? servedModelName
                : WorkerConfig.defaultServedName(path);
    }

    private int serveHttp(Serving serving, PrintWriter err) throws InterruptedException {
        HttpFrontend frontend = new HttpFrontend(FrontendConfig.defaults().withHost(httpHost).withPort(httpPort),
                ((Embedded) serving.resources()).registry());
        int port = frontend.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            frontend.close();
            stopped.countDown();
        }, "jynamo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        String shown = httpHost.equals("0.0.0.0") ? "localhost" : httpHost;
        err.printf("serving '%s' at http://%s:%d/v1 (OpenAI API; Ctrl-C stops)%n", serving.card().servedName(), shown,
                port);
        err.flush();
        stopped.await();
        return 0;
    }
}
