package io.jynamo.cli;

import io.jynamo.frontend.FrontendConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code jynamo serve MODEL}: as {@code vllm serve MODEL}, the OpenAI API on one model in this JVM; the
 * same as {@code jynamo run in=http out=MODEL}, with the same flags.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve a model over the OpenAI API (as vllm serve MODEL); the same as "
                + "jynamo run in=http out=MODEL.",
        footer = {"", "Refused combinations: MODEL and --model naming different models; --tp, --dp-size or "
                + "--enable-dp-attention beyond 1 (not in this build)."})
final class ServeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", arity = "0..1",
            description = "GGUF file or Hugging Face model directory (or give --model, env JYN_MODEL_PATH)")
    Path model;

    @Mixin
    ServeOptions serve;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        boolean flag = spec.commandLine().getParseResult().hasMatchedOption("--model");
        if (model != null && flag && !model.equals(serve.model)) {
            throw CliException.badInput("two models given: '" + model + "' and --model '" + serve.model + "'; serve one");
        }
        Path path = model != null ? model : serve.model;
        if (path == null) {
            throw CliException.badInput("say what to serve: jynamo serve MODEL_PATH (a GGUF file or a Hugging Face "
                    + "directory)");
        }
        FrontendConfig http = serve.validate(false);
        PrintWriter err = spec.commandLine().getErr();
        try (Serving serving = serve.open(path.toString(), err)) {
            return serve.serveHttp(http, serving, err);
        }
    }
}
