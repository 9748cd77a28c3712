package io.jynamo.cli;

import io.jynamo.api.request.SamplingOptions;
import io.jynamo.frontend.FrontendConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code jynamo run [MODEL] in=http|text|batch[:FILE] out=MODEL|echo}: frontend and worker in one JVM,
 * no etcd or NATS: the distributed path on in-memory discovery and the in-process planes ({@link Embedded}).
 * {@code out} is a GGUF file or a Hugging Face directory, or {@code echo} (the prompt streamed back,
 * with {@code --model}'s tokenizer) for testing the frontend alone. {@code out=dyn} serves the models
 * of a distributed deployment instead ({@link DynamicFrontend}).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Serve a model: in=http (OpenAI API, default), in=text (chat in the terminal) or "
                + "in=batch[:FILE] (JSONL prompts, from FILE or standard input, to JSONL results); out=MODEL_PATH, "
                + "a positional MODEL, or out=echo.",
        footer = {"", "Refused combinations: a model given twice (MODEL, out= and --model disagree); out=dyn with "
                + "in=text or in=batch, or with --chat-template; out=echo without --model; --tp, --dp-size or "
                + "--enable-dp-attention beyond 1 (not in this build)."})
final class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL|in=…|out=…",
            description = "in=http|text|batch[:FILE] (default http), and what to serve: out=MODEL_PATH|echo|dyn or "
                    + "MODEL_PATH alone")
    List<String> io = new ArrayList<>();

    @Mixin
    ServeOptions serve;

    @Option(names = "--max-tokens", defaultValue = "${env:JYN_MAX_TOKENS:-512}",
            description = "in=text and in=batch: most tokens per answer (env JYN_MAX_TOKENS, default ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--temperature", defaultValue = "${env:JYN_TEMPERATURE}",
            description = "in=text and in=batch: sampling temperature, 0 = greedy (env JYN_TEMPERATURE, default: the "
                    + "model's generation_config.json, else 1.0 as in the OpenAI API)")
    Float temperature;

    @Option(names = "--output", defaultValue = "${env:JYN_OUTPUT}",
            description = "in=batch: where the JSONL results go (env JYN_OUTPUT, default: standard output)")
    Path output;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String in = "http";
        String out = null;
        for (String arg : io) {
            String model = null;
            if (arg.startsWith("in=")) {
                in = arg.substring(3);
            } else if (arg.startsWith("out=")) {
                model = arg.substring(4);
            } else if (arg.contains("=") && !Files.exists(Path.of(arg))) {
                throw CliException.badInput("expected in=…, out=… or a model path, got '" + arg + "'");
            } else {
                model = arg;
            }
            if (model != null && out != null && !out.equals(model)) {
                throw CliException.badInput("two models given: '" + out + "' and '" + model + "'; serve one");
            }
            out = model != null ? model : out;
        }
        if (out == null) {
            if (serve.model == null) {
                throw CliException.badInput("say what to serve: jynamo run MODEL_PATH (a GGUF file or a Hugging Face "
                        + "directory), out=MODEL_PATH or out=echo");
            }
            out = serve.model.toString();
        }
        if (!in.equals("http") && !in.equals("text") && !in.equals("batch") && !in.startsWith("batch:")) {
            throw CliException.badInput("in must be http, text or batch[:FILE], got '" + in + "'");
        }
        if (out.equals("dyn") && !in.equals("http")) {
            throw CliException.badInput("out=dyn serves the OpenAI API only: use in=http");
        }
        FrontendConfig http = serve.validate(out.equals("dyn"));
        if (maxTokens < 1) {
            throw CliException.badInput("--max-tokens must be >= 1, got " + maxTokens);
        }
        if (temperature != null && !(temperature >= 0)) {
            throw CliException.badInput("--temperature must be >= 0, got " + temperature);
        }
        if (output != null && output.toAbsolutePath().getParent() != null
                && !Files.isDirectory(output.toAbsolutePath().getParent())) {
            throw CliException.badInput("--output: no directory " + output.toAbsolutePath().getParent());
        }
        // Read the batch before loading the model: a missing file or unreadable input costs no load.
        List<String> batch = in.startsWith("batch") ? readBatch(in) : null;
        PrintWriter err = spec.commandLine().getErr();
        if (out.equals("dyn")) {
            return serve.serveDynamic(http, err);
        }
        try (Serving serving = serve.open(out, err)) {
            if (in.equals("http")) {
                return serve.serveHttp(http, serving, err);
            }
            SamplingOptions defaults = serving.card().samplingDefaults();
            SamplingOptions sampling = temperature == null ? defaults : defaults.withTemperature(temperature);
            if (in.equals("text")) {
                return new TextChat(serving, sampling, maxTokens).run(System.in, spec.commandLine().getOut(), err);
            }
            return new BatchRun(serving, sampling, maxTokens, serve.engine.maxNumSeqs + serve.engine.maxWaiting)
                    .run(batch, output, spec.commandLine().getOut(), err);
        }
    }

    /** The lines of {@code in=batch:FILE}, or of standard input for {@code in=batch} and {@code in=batch:-}. */
    private static List<String> readBatch(String in) throws IOException {
        String name = in.equals("batch") ? "-" : in.substring("batch:".length());
        if (name.equals("-")) {
            return new String(System.in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        Path file = Path.of(name);
        if (!Files.isRegularFile(file)) {
            throw CliException.badInput("batch input not found: " + file);
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliException.badInput("cannot read the batch input " + file + ": " + e.getMessage());
        }
    }
}
