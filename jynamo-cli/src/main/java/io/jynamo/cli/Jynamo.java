package io.jynamo.cli;

import io.jynamo.api.JynamoException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The {@code jynamo} command. */
@Command(name = "jynamo", mixinStandardHelpOptions = true, version = "jynamo 0.1.0",
        description = "Distributed LLM inference serving in Java.",
        subcommands = {RunCommand.class, WorkerCommand.class, GenerateCommand.class, InfraCommand.class, DevCommand.class})
public final class Jynamo implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command; see jynamo --help");
    }

    public static void main(String[] args) {
        Logging.quietJdkLogging();
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code; errors are one line on stderr, never a stack trace. */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** As {@link #execute(String...)}, writing to the given streams (tests capture them). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cmd = new CommandLine(new Jynamo());
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> reportError(commandLine.getErr(), e));
        try {
            return cmd.execute(args);
        } catch (Throwable t) {
            return reportError(cmd.getErr(), t);
        }
    }

    static int reportError(PrintWriter err, Throwable e) {
        if (e instanceof JynamoException je) {
            err.println("jynamo: error: " + je.getMessage());
        } else if (e instanceof OutOfMemoryError) {
            err.println("jynamo: error: out of memory (" + e.getMessage() + "); give the JVM more with JAVA_OPTS=-Xmx…");
        } else {
            err.println("jynamo: internal error: " + e + " (set JYN_DEBUG=1 for details)");
        }
        if (System.getenv("JYN_DEBUG") != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return 1;
    }
}
