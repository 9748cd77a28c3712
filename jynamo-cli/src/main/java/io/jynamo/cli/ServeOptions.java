package io.jynamo.cli;

import io.jynamo.frontend.FrontendConfig;
import io.jynamo.frontend.HttpFrontend;
import io.jynamo.router.RouterMode;
import io.jynamo.worker.ModelFiles;
import io.jynamo.worker.WorkerConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The flags of the commands that serve a model in this JVM ({@code run}, {@code serve}), with the
 * names vLLM and SGLang users know as aliases of ours, and what they start: the embedded deployment
 * ({@link Embedded}) and the HTTP frontend, or the frontend of a distributed deployment
 * ({@link DynamicFrontend}). Every check a flag needs runs in {@link #validate}, before anything starts.
 */
final class ServeOptions {
    @Option(names = {"--model", "--model-path"}, defaultValue = "${env:JYN_MODEL_PATH}",
            description = "model path (same as out=PATH or the positional MODEL); with out=echo, where the tokenizer "
                    + "and chat template come from (env JYN_MODEL_PATH, no default)")
    Path model;

    @Option(names = "--served-model-name", defaultValue = "${env:JYN_SERVED_MODEL_NAME}",
            description = "the name clients ask for (env JYN_SERVED_MODEL_NAME, default: the model's file or "
                    + "directory name)")
    String servedModelName;

    @Option(names = "--chat-template", paramLabel = "FILE", defaultValue = "${env:JYN_CHAT_TEMPLATE}",
            description = "a Jinja chat template that replaces the model's (env JYN_CHAT_TEMPLATE, default: the "
                    + "model's own); not with out=dyn, where each worker's --chat-template counts")
    Path chatTemplate;

    @Option(names = {"--http-host", "--host"}, defaultValue = "${env:JYN_HTTP_HOST:-0.0.0.0}",
            description = "address to listen on (env JYN_HTTP_HOST, default ${DEFAULT-VALUE})")
    String httpHost;

    @Option(names = {"--http-port", "--port"}, defaultValue = "${env:JYN_HTTP_PORT:-8000}",
            description = "port to listen on, 0 = any free one (env JYN_HTTP_PORT, default ${DEFAULT-VALUE})")
    int httpPort;

    @Option(names = "--api-key", defaultValue = "${env:JYN_API_KEY}",
            description = "in=http: requests must carry Authorization: Bearer KEY, else OpenAI's 401; /health, /live "
                    + "and /metrics stay open (env JYN_API_KEY, default: none, the API is open)")
    String apiKey;

    @Option(names = "--echo-delay-ms", defaultValue = "${env:JYN_ECHO_DELAY_MS:-0}",
            description = "out=echo: pause before each echoed token (env JYN_ECHO_DELAY_MS, default ${DEFAULT-VALUE})")
    double echoDelayMs;

    @Option(names = "--warmup-ms", defaultValue = "${env:JYN_WARMUP_MS:-3000}",
            description = "run small batches through every kernel before serving, at most this long "
                    + "(env JYN_WARMUP_MS, default ${DEFAULT-VALUE})")
    long warmupMs;

    @Option(names = "--router-mode", defaultValue = "${env:JYN_ROUTER_MODE:-round-robin}",
            description = "how a request's worker is chosen: round-robin or random (env JYN_ROUTER_MODE, "
                    + "default ${DEFAULT-VALUE})")
    String routerMode;

    @Option(names = "--discovery", defaultValue = "${env:JYN_DISCOVERY}",
            description = "out=dyn: file:DIR for discovery in a directory on one host; etcd is used when ETCD_ENDPOINTS "
                    + "is set (env JYN_DISCOVERY, default: etcd if ETCD_ENDPOINTS is set)")
    String discovery;

    @Option(names = "--card-cache", defaultValue = "${env:JYN_CARD_CACHE}",
            description = "out=dyn: where model card files fetched from workers are kept (env JYN_CARD_CACHE, "
                    + "default ~/.jynamo/cards)")
    Path cardCache;

    @Mixin
    EngineOptions engine;

    @Mixin
    ParallelOptions parallel;

    /** Checks every flag alone and together; throws a CLI error naming the flag. Starts nothing. */
    FrontendConfig validate(boolean dyn) {
        if (apiKey != null && apiKey.isBlank()) {
            throw CliException.badInput("--api-key (or JYN_API_KEY) is empty; give a key or leave it out");
        }
        if (echoDelayMs < 0) {
            throw CliException.badInput("--echo-delay-ms must be >= 0, got " + echoDelayMs);
        }
        if (warmupMs < 0) {
            throw CliException.badInput("--warmup-ms must be >= 0, got " + warmupMs);
        }
        RouterMode.parse(routerMode);
        if (httpPort < 0 || httpPort > 65535) {
            throw CliException.badInput("--http-port (--port) must be in 0..65535, got " + httpPort);
        }
        if (httpHost.isBlank()) {
            throw CliException.badInput("--http-host (--host) is empty");
        }
        if (dyn && chatTemplate != null) {
            throw CliException.badInput("--chat-template does not apply to out=dyn: give it to each worker");
        }
        if (chatTemplate != null) {
            ModelFiles.chatTemplate(chatTemplate);
        }
        engine.validate();
        parallel.validate();
        parallel.refuseUnimplemented(1);
        return FrontendConfig.defaults().withHost(httpHost).withPort(httpPort);
    }

    /** Assembles the embedded deployment (a worker and the frontend's model watcher) and serves its model. */
    Serving open(String out, PrintWriter err) throws InterruptedException {
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
                (long) (echoDelayMs * 1e6), kind == WorkerConfig.EngineKind.ECHO ? 0 : warmupMs, chatTemplate);
        Embedded embedded = Embedded.start(config, mode, err);
        return new Serving(embedded.model().card(), embedded.model().engine(), embedded);
    }

    private String name(Path path) {
        return servedModelName != null && !servedModelName.isBlank() ? servedModelName
                : WorkerConfig.defaultServedName(path);
    }

    /** Serves the embedded model over HTTP until SIGTERM or Ctrl-C. */
    int serveHttp(FrontendConfig config, Serving serving, PrintWriter err) throws InterruptedException {
        HttpFrontend frontend = new HttpFrontend(config, ((Embedded) serving.resources()).registry(), apiKey);
        int port = frontend.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            frontend.close();
            stopped.countDown();
        }, "jynamo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        String shown = httpHost.equals("0.0.0.0") ? "localhost" : httpHost;
        err.printf("serving '%s' at http://%s:%d/v1 (OpenAI API%s; Ctrl-C stops)%n", serving.card().servedName(), shown,
                port, apiKey == null ? "" : "; API key required");
        err.flush();
        stopped.await();
        return 0;
    }

    /** {@code out=dyn}: the frontend of the deployment's discovered models. */
    int serveDynamic(FrontendConfig config, PrintWriter err) throws InterruptedException {
        return DynamicFrontend.serve(config, apiKey, routerMode, discovery, cardCache, err);
    }
}
