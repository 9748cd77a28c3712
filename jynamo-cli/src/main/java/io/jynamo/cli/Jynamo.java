package io.jynamo.cli;

import io.jynamo.api.JynamoException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.List;

/** The {@code jynamo} command. */
@Command(name = "jynamo", mixinStandardHelpOptions = true, version = "jynamo 0.1.0",
        description = "Distributed LLM inference serving in Java.",
        subcommands = {RunCommand.class, ServeCommand.class, WorkerCommand.class, GenerateCommand.class,
            InfraCommand.class, DevCommand.class, CommandLine.HelpCommand.class})
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
        cmd.setParameterExceptionHandler(Jynamo::reportParameterError);
        try {
            return cmd.execute(args);
        } catch (Throwable t) {
            return reportError(cmd.getErr(), t);
        }
    }

    /**
     * A command line picocli cannot parse: one line, with the closest names when a command or flag is
     * mistyped ({@code --max-model-lenn} → {@code --max-model-len}), and where the help is.
     */
    static int reportParameterError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName(" ");
        String message = e.getMessage();
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().getFirst();
            boolean option = arg.startsWith("-");
            boolean command = !option && !cmd.getSubcommands().isEmpty();
            List<String> suggestions = Suggestions.of(arg, u.getSuggestions(), option
                    ? cmd.getCommandSpec().optionsMap().keySet() : command ? cmd.getSubcommands().keySet() : List.of());
            message = (option ? "unknown option '" : command ? "unknown command '" : "unexpected argument '") + arg + "'"
                    + (suggestions.isEmpty() ? "" : "; did you mean " + String.join(" or ", suggestions) + "?");
        }
        PrintWriter err = cmd.getErr();
        err.println("jynamo: error: " + message + " (see '" + name + " --help')");
        err.flush();
        return 1;
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
