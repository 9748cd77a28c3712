package io.jynamo.cli;

import io.jynamo.api.JynamoException;
import io.jynamo.api.request.SamplingOptions;

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

/** {@code jynamo run in=text}: a chat in the terminal; each answer streams as it is generated. */
final class TextChat {
    private final Serving serving;
    private final SamplingOptions sampling;
    private final int maxTokens;

    TextChat(Serving serving, SamplingOptions sampling, int maxTokens) {
        this.serving = serving;
        this.sampling = sampling;
        this.maxTokens = maxTokens;
    }

    int run(InputStream stdin, PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        List<Map<String, Object>> messages = new ArrayList<>();
        err.println("chatting with '" + serving.card().servedName() + "': type a message; /reset starts over, "
                + "/exit (or end of input) leaves");
        while (true) {
            err.print("> ");
            err.flush();
            String line = in.readLine();
            if (line == null || line.strip().equals("/exit")) {
                return 0;
            }
            if (line.strip().equals("/reset")) {
                messages.clear();
                continue;
            }
            if (line.isBlank()) {
                continue;
            }
            messages.add(Map.of("role", "user", "content", line));
            try {
                Serving.Result r = serving.generate(serving.chatPrompt(messages), sampling, maxTokens, delta -> {
                    out.print(delta);
                    out.flush();
                });
                out.println();
                out.flush();
                if (r.error() != null) {
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
            }
        }
    }
}
