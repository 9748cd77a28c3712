package io.jynamo.cli;

import io.jynamo.engine.GgmlType;
import io.jynamo.testkit.ModelFamily;
import io.jynamo.testkit.TestAssets;
import io.jynamo.testkit.TestModelGenerator;
import io.jynamo.testkit.TestModelSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.jynamo.cli.CliBadInputTest.assertError;
import static io.jynamo.cli.CliBadInputTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The names vLLM, SGLang and Dynamo users know: each alias parses to the same option as ours; the help
 * tells every flag's default and variable; mistyped names get a suggestion; a bad value of a new name is
 * one error line, exit 1, and nothing started.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AliasesTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void makeModel() {
        model = new TestModelGenerator(TestAssets.locate()).writeGguf(TestModelSpec.tiny(ModelFamily.LLAMA3, 5),
                GgmlType.Q8_0, dir.resolve("m.gguf"));
    }

    static <T> T parse(Class<T> type, String... args) {
        CommandLine.ParseResult r = new CommandLine(new Jynamo()).parseArgs(args);
        return type.cast(r.subcommand().commandSpec().userObject());
    }

    /** The fields the aliases set, as one comparable line. */
    static String serving(ServeOptions s) {
        return List.of(s.model, s.httpHost, s.httpPort, s.engine.contextLength, s.engine.memFractionStatic,
                s.parallel.tp, s.parallel.dpSize, String.valueOf(s.servedModelName), String.valueOf(s.apiKey),
                String.valueOf(s.chatTemplate)).toString();
    }

    @Test
    void vllmNamesParseToOurOptions() {
        String[] theirs = {"--model-path", "m.gguf", "--host", "127.0.0.1", "--port", "9001", "--max-model-len", "77",
            "--gpu-memory-utilization", "0.5", "--tensor-parallel-size", "2", "--data-parallel-size", "2",
            "--served-model-name", "x", "--api-key", "k", "--chat-template", "t.jinja"};
        String[] ours = {"--model", "m.gguf", "--http-host", "127.0.0.1", "--http-port", "9001", "--context-length", "77",
            "--mem-fraction-static", "0.5", "--tp", "2", "--dp-size", "2", "--served-model-name", "x", "--api-key", "k",
            "--chat-template", "t.jinja"};
        String expected = serving(parse(RunCommand.class, prepend("run", ours)).serve);
        assertEquals("[m.gguf, 127.0.0.1, 9001, 77, 0.5, 2, 2, x, k, t.jinja]", expected);
        assertEquals(expected, serving(parse(RunCommand.class, prepend("run", theirs)).serve));
        assertEquals(expected, serving(parse(ServeCommand.class, prepend("serve", theirs)).serve));
        assertEquals(2, parse(RunCommand.class, "run", "--tp-size", "2").serve.parallel.tp);
    }

    @Test
    void workerTakesTheSameNames() {
        WorkerCommand a = parse(WorkerCommand.class, "worker", "--model", "m.gguf", "--tensor-parallel-size", "2",
                "--data-parallel-size", "2", "--max-model-len", "64", "--gpu-memory-utilization", "0.3");
        WorkerCommand b = parse(WorkerCommand.class, "worker", "--model-path", "m.gguf", "--tp", "2", "--dp-size", "2",
                "--context-length", "64", "--mem-fraction-static", "0.3");
        for (WorkerCommand w : List.of(a, b)) {
            assertEquals(Path.of("m.gguf"), w.worker.modelPath);
            assertEquals(2, w.worker.parallel.tp);
            assertEquals(2, w.worker.parallel.dpSize);
            assertEquals(64, w.engine.contextLength);
            assertEquals(0.3, w.engine.memFractionStatic);
        }
    }

    @Test
    void serveAndAPositionalModelAreRunInHttp() {
        ServeCommand s = parse(ServeCommand.class, "serve", "m.gguf", "--port", "0");
        assertEquals(Path.of("m.gguf"), s.model);
        RunCommand r = parse(RunCommand.class, "run", "m.gguf");
        assertEquals(List.of("m.gguf"), r.io);
    }

    @Test
    void everyFlagsHelpStatesItsDefaultAndVariable() {
        List<String> missing = new ArrayList<>();
        collectUndocumented(new CommandLine(new Jynamo()), missing);
        assertTrue(missing.isEmpty(), "help without its default or JYN_* variable:\n" + String.join("\n", missing));
    }

    /** Every option of the command and of its subcommands, at any depth, whose help lacks a default or a JYN_* variable. */
    private static void collectUndocumented(CommandLine command, List<String> missing) {
        for (OptionSpec o : command.getCommandSpec().options()) {
            if (o.usageHelp() || o.versionHelp()) {
                continue;
            }
            String d = String.join(" ", o.description());
            if (!d.contains("(env JYN_") || !d.contains("default")) {
                missing.add(command.getCommandSpec().qualifiedName() + " " + o.longestName() + ": " + d);
            }
        }
        for (CommandLine sub : command.getSubcommands().values()) {
            if (sub.getCommandSpec().parent() == command.getCommandSpec()) {
                collectUndocumented(sub, missing);
            }
        }
    }

    @Test
    void helpWorksAsACommandAndTellsTheAliasesAndRefusals() {
        CliBadInputTest.Run top = run("help");
        assertEquals(0, top.code(), top.err());
        assertTrue(top.out().contains("serve") && top.out().contains("worker"), top.out());
        CliBadInputTest.Run serve = run("help", "serve");
        assertEquals(0, serve.code(), serve.err());
        for (String name : List.of("--max-model-len", "--gpu-memory-utilization", "--tensor-parallel-size", "--host",
                "--port", "--api-key", "JYN_API_KEY", "--chat-template", "--served-model-name", "Refused combinations")) {
            assertTrue(serve.out().contains(name), name + " missing from:\n" + serve.out());
        }
        CliBadInputTest.Run worker = run("worker", "--help");
        assertTrue(worker.out().contains("--nnodes > 1") && worker.out().contains("refused"), worker.out());
    }

    @Test
    void mistypedNamesSuggestTheRightOne() {
        assertError("unknown command 'serv'; did you mean serve", "serv", "m.gguf");
        assertError("unknown command 'rnu'; did you mean run", "rnu");
        assertError("did you mean --max-model-len", "run", "m.gguf", "--max-model-lenn", "5");
        assertError("did you mean --context-length", "serve", "m.gguf", "--context-lenght", "5");
        assertError("did you mean --tensor-parallel-size", "worker", "--model", "m.gguf", "--tensor-paralel-size", "1");
    }

    @Test
    void badValuesOfTheNewNamesStartNothing() throws IOException {
        String m = model.toString();
        assertError("--api-key (or JYN_API_KEY) is empty", "serve", m, "--api-key", " ");
        assertError("chat template not found", "serve", m, "--chat-template", dir.resolve("none.jinja").toString());
        Path empty = Files.writeString(dir.resolve("empty.jinja"), "  \n");
        assertError("is empty", "run", m, "--chat-template", empty.toString());
        assertError("chat template not found", "worker", "--model", m, "--chat-template", "nope.jinja");
        assertError("--http-port (--port) must be in 0..65535", "serve", m, "--port", "70000");
        assertError("--context-length (--max-model-len) must be >= 0", "serve", m, "--max-model-len", "-1");
        assertError("--mem-fraction-static (--gpu-memory-utilization) must be in (0, 1]", "run", m,
                "--gpu-memory-utilization", "1.5");
        assertError("tensor parallelism (--tp 2", "serve", m, "--tensor-parallel-size", "2");
        assertError("--dp-size must be >= 1", "run", m, "--data-parallel-size", "0");
        assertError("--dp-size (2) cannot exceed --tp (1)", "worker", "--model", m, "--data-parallel-size", "2");
        assertError("'abc' is not an int", "serve", m, "--port", "abc");
        assertError("two models given", "run", m, "out=" + dir.resolve("other.gguf"));
        assertError("two models given", "serve", m, "--model", dir.resolve("other.gguf").toString());
        assertError("say what to serve: jynamo serve MODEL_PATH", "serve");
        assertError("model not found", "serve", dir.resolve("missing.gguf").toString());
        assertError("batch input not found", "run", "in=batch:" + dir.resolve("none.jsonl"), m);
        assertError("--chat-template does not apply to out=dyn", "run", "out=dyn", "--chat-template", empty.toString());
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
