package io.jynamo.cli;

import picocli.CommandLine.Command;

/** {@code jynamo dev …}: developer tools (test models, machine measurements). */
@Command(name = "dev", mixinStandardHelpOptions = true, description = "Developer tools.",
        subcommands = {MakeModelCommand.class, MemoryBandwidthCommand.class, BenchServeCommand.class})
final class DevCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing dev command; see jynamo dev --help");
    }
}
