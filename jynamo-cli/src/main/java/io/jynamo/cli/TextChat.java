package io.jynamo.cli;

import io.jynamo.api.JynamoException;
import io.jynamo.api.engine.RequestStream;
import io.jynamo.api.request.SamplingOptions;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code jynamo run in=text}: a chat in the terminal; each answer streams as it is generated. As in
 * other chat CLIs, Ctrl-C stops the answer being generated and returns to the prompt; at the prompt it
 * asks for a second Ctrl-C, which leaves.
 */
final class TextChat {
    static final String HELP = """
            /help   this list
            /reset  forget the conversation and start over
            /exit   leave (as do end of input and Ctrl-C twice at the prompt)
            Ctrl-C  while an answer is generated: stop it and return to the prompt""";

    private final Serving serving;
    private final SamplingOptions sampling;
    private final int maxTokens;
    /** The answer being generated, which Ctrl-C cancels; null at the prompt. */
    private final AtomicReference<RequestStream> generating = new AtomicReference<>();
    private volatile boolean answering;
    private volatile boolean stopped;
    /** A Ctrl-C at the prompt was seen and no line since: the next one leaves. */
    private volatile boolean leaving;

    TextChat(Serving serving, SamplingOptions sampling, int maxTokens) {
        this.serving = serving;
        this.sampling = sampling;
        this.maxTokens = maxTokens;
    }

    int run(InputStream stdin, PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        Signal sigint = new Signal("INT");
        SignalHandler previous = Signal.handle(sigint, s -> interrupted(err));
        try {
            return chat(stdin, out, err);
        } finally {
            Signal.handle(sigint, previous);
        }
    }

    /** Runs on the JVM's signal thread. */
    private void interrupted(PrintWriter err) {
        if (answering) {
            stopped = true;
            RequestStream answer = generating.get();
            if (answer != null) {
                answer.cancel();
            }
            return;
        }
        if (leaving) {
            err.println();
            err.flush();
            // The main thread is blocked reading the terminal, which nothing can wake portably.
            Runtime.getRuntime().exit(0);
        }
        leaving = true;
        err.print(System.lineSeparator() + "(Ctrl-C again to leave, or /exit)" + System.lineSeparator() + "> ");
        err.flush();
    }

    private int chat(InputStream stdin, PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        List<Map<String, Object>> messages = new ArrayList<>();
        err.println("chatting with '" + serving.card().servedName() + "': type a message; /help lists the commands, "
                + "Ctrl-C stops an answer, /exit (or end of input) leaves");
        while (true) {
            err.print("> ");
            err.flush();
            String line = in.readLine();
            leaving = false;
            if (line == null || line.strip().equals("/exit")) {
                return 0;
            }
            String command = line.strip();
            if (command.equals("/reset")) {
                messages.clear();
                err.println("(conversation reset)");
                continue;
            }
            if (command.equals("/help") || command.equals("/?")) {
                err.println(HELP);
                continue;
            }
            if (command.startsWith("/") && !command.contains(" ")) {
                err.println("unknown command " + command + "; /help lists the commands");
                continue;
            }
            if (line.isBlank()) {
                continue;
            }
            messages.add(Map.of("role", "user", "content", line));
            answer(messages, out, err);
        }
    }

    private void answer(List<Map<String, Object>> messages, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        stopped = false;
        answering = true;
        try {
            Serving.Result r = serving.generate(serving.chatPrompt(messages), sampling, maxTokens, delta -> {
                out.print(delta);
                out.flush();
            }, stream -> {
                generating.set(stream);
                if (stopped) {
                    stream.cancel();  // Ctrl-C came before the request was submitted
                }
            });
            out.println();
            out.flush();
            if (stopped) {
                messages.removeLast();
                err.printf(Locale.ROOT, "[stopped after %d tokens; not kept in the conversation]%n",
                        r.completionTokens());
            } else if (r.error() != null) {
                err.println("jynamo: error: " + r.error());
                messages.removeLast();
            } else {
                messages.add(Map.of("role", "assistant", "content", r.text()));
                err.printf(Locale.ROOT, "[%d tokens, %s, %.1f tokens/s]%n", r.completionTokens(), r.finishReason(),
                        r.completionTokens() / Math.max(1e-9, r.totalNanos() / 1e9));
            }
        } catch (JynamoException e) {
            err.println("jynamo: error: " + e.getMessage());
            messages.removeLast();
        } finally {
            generating.set(null);
            answering = false;
        }
    }
}
