package io.jynamo.frontend.bench;

import io.jynamo.engine.EchoEngine;
import io.jynamo.frontend.ByteTokenizer;
import io.jynamo.frontend.FrontendConfig;
import io.jynamo.frontend.HttpFrontend;
import io.jynamo.frontend.InMemoryModelRegistry;
import io.jynamo.frontend.ServedModel;
import io.jynamo.llm.ModelCard;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Frontend benchmark (not a test): a child JVM serves the echo engine (no token delay) behind the
 * frontend; this JVM streams completions at a fixed concurrency and measures requests/s, tokens/s and
 * the child's CPU time (frontend + echo engine, so an upper bound on the frontend's) per request and
 * per token. Workloads: short (8 tokens in, 8 out) for the per-request cost; long (512 in, 512 out, no
 * delay: the engine outruns the reader, so tokens reach the client in a few large chunks); paced
 * (256 tokens, one per 200 µs per stream: about one chunk per token, the costly case). Per-token cost
 * = (CPU per request − the short request's) / extra tokens.
 *
 * <p>{@code FrontendBench [concurrency=64] [warmupSeconds=5] [seconds=10]}; {@code FrontendBench server}
 * is the child.
 */
public final class FrontendBench {
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("server")) {
            server();
            return;
        }
        if (args.length > 0 && args[0].equals("engine-only")) {
            engineOnly(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]));
            return;
        }
        int concurrency = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        String java = Path(System.getProperty("java.home"));
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseParallelGC", "-Xmx2g"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--")).toList());
        String extra = System.getenv("JYN_BENCH_SERVER_OPTS");  // e.g. a flight recording of the server
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), FrontendBench.class.getName(), "server"));
        Process child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            while (line != null && !line.startsWith("PORT ") && !line.isEmpty() && line.charAt(0) == '[') {
                line = out.readLine();  // JVM log lines (e.g. a flight recording starting)
            }
            if (line == null || !line.startsWith("PORT ")) {
                throw new IllegalStateException("server did not start: " + line);
            }
            URI uri = URI.create("http://127.0.0.1:" + line.substring(5) + "/v1/completions");
            load(child, uri, "echo", concurrency, 64, warmup, 1);  // JIT warm-up of both JVMs, not reported
            Result s = load(child, uri, "echo", concurrency, 8, warmup, seconds);
            print("short", s);
            Result l = load(child, uri, "echo", concurrency, 512, warmup, seconds);
            print("long", l);
            Result p = load(child, uri, "echo-paced", concurrency, 256, warmup, seconds);
            print("paced", p);
            double perRequestUs = s.cpuNanos / 1e3 / s.requests;
            double engineUsPerToken = engineOnly(cmd, concurrency, 256, warmup, seconds);
            System.out.printf("echo engine alone (paced, %d streams drained by virtual threads, no HTTP): %.2f µs CPU per token%n",
                    concurrency, engineUsPerToken);
            System.out.printf("frontend CPU per streamed token (paced) with the engine's share taken out: %.2f µs%n",
                    p.cpuNanos / 1e3 / p.tokens - engineUsPerToken);
            System.out.printf("server CPU per request (short): %.1f µs; per streamed token: %.2f µs (long, tokens"
                            + " coalesced into few chunks), %.2f µs (paced, ~one chunk per token; the short request's"
                            + " cost taken out)%n", perRequestUs,
                    (l.cpuNanos / 1e3 / l.requests - perRequestUs) / ((double) l.tokens / l.requests - 8),
                    (p.cpuNanos / 1e3 / p.requests - perRequestUs) / ((double) p.tokens / p.requests - 8));
        } finally {
            child.destroy();
            child.waitFor();
        }
    }

    /** Runs the paced echo engine alone in a child JVM and returns its CPU per token, in µs. */
    private static double engineOnly(List<String> serverCmd, int concurrency, int tokens, int warmup, int seconds)
            throws Exception {
        List<String> cmd = new ArrayList<>(serverCmd.subList(0, serverCmd.size() - 1));
        cmd.addAll(List.of("engine-only", Integer.toString(concurrency), Integer.toString(tokens),
                Integer.toString(warmup), Integer.toString(seconds)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        String last = out.substring(out.lastIndexOf('\n') + 1);
        return Double.parseDouble(last);
    }

    /** Child: 64 virtual threads submit to the paced echo engine and drain; prints CPU µs per token. */
    private static void engineOnly(int concurrency, int tokens, int warmup, int seconds) throws Exception {
        EchoEngine paced = new EchoEngine(200_000, 8192, 1024, 4096);
        int[] prompt = new int[tokens];
        java.util.Arrays.fill(prompt, 'a');
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean counting = new AtomicBoolean();
        AtomicLong count = new AtomicLong();
        AtomicLong ids = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            workers.add(Thread.ofVirtual().start(() -> {
                while (!stop.get()) {
                    var request = new io.jynamo.api.request.PreprocessedRequest("r" + ids.incrementAndGet(), "echo",
                            prompt, null, io.jynamo.api.request.StopConditions.maxTokens(tokens), null, 1);
                    var stream = paced.submit(request);
                    long n = 0;
                    try {
                        io.jynamo.api.output.EngineOutput out;
                        while ((out = stream.take()) != null) {
                            if (out instanceof io.jynamo.api.output.EngineOutput.Tokens t) {
                                n += t.tokenIds().length;
                            }
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (counting.get()) {
                        count.addAndGet(n);
                    }
                }
            }));
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Thread.sleep(warmup * 1000L);
        long cpu0 = os.getProcessCpuTime();
        counting.set(true);
        Thread.sleep(seconds * 1000L);
        counting.set(false);
        long cpu1 = os.getProcessCpuTime();
        stop.set(true);
        for (Thread t : workers) {
            t.join();
        }
        paced.close();
        System.out.println((cpu1 - cpu0) / 1e3 / count.get());
    }

    private static String Path(String javaHome) {
        return java.nio.file.Path.of(javaHome, "bin", "java").toString();
    }

    record Result(int concurrency, int promptTokens, double seconds, long requests, long tokens, long chunks,
                  long cpuNanos, long clientCpuNanos, long errors) {
    }

    private static void print(String name, Result r) {
        System.out.printf("%s: %d concurrent, %d tokens in/out: %.0f req/s, %.0f tokens/s, %.1f chunks/req,"
                        + " server CPU %.1f µs/req %.2f µs/token (%.2f cores), client CPU %.2f cores, errors %d%n",
                name, r.concurrency, r.promptTokens, r.requests / r.seconds, r.tokens / r.seconds,
                (double) r.chunks / r.requests, r.cpuNanos / 1e3 / r.requests, r.cpuNanos / 1e3 / r.tokens,
                r.cpuNanos / 1e9 / r.seconds, r.clientCpuNanos / 1e9 / r.seconds, r.errors);
    }

    private static Result load(Process child, URI uri, String model, int concurrency, int tokens, int warmup,
                               int seconds) throws Exception {
        // BOS + (tokens - 1) bytes; max_tokens = tokens: the echo streams the whole prompt back
        String body = "{\"model\":\"" + model + "\",\"prompt\":\"" + "a".repeat(tokens - 1) + "\",\"max_tokens\":" + tokens
                + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        AtomicBoolean counting = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong requests = new AtomicLong();
        AtomicLong tokenCount = new AtomicLong();
        AtomicLong chunks = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        HttpRequest request = HttpRequest.newBuilder(uri).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            workers.add(Thread.ofVirtual().start(() -> {
                while (!stop.get()) {
                    try {
                        HttpResponse<InputStream> r = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                        long n = 0;
                        long generated = 0;
                        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                            String line;
                            while ((line = in.readLine()) != null) {
                                if (line.startsWith("data: ")) {
                                    n++;
                                    int at = line.indexOf("\"completion_tokens\":");
                                    if (at >= 0) {
                                        int from = at + 20;
                                        int to = from;
                                        while (Character.isDigit(line.charAt(to))) {
                                            to++;
                                        }
                                        generated = Long.parseLong(line.substring(from, to));
                                    }
                                }
                            }
                        }
                        if (counting.get()) {
                            if (r.statusCode() != 200 || generated != tokens) {
                                errors.incrementAndGet();
                            }
                            requests.incrementAndGet();
                            tokenCount.addAndGet(generated);
                            chunks.addAndGet(n);
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
            }));
        }
        Thread.sleep(warmup * 1000L);
        long cpu0 = cpu(child);
        long own0 = ownCpu();
        long t0 = System.nanoTime();
        counting.set(true);
        Thread.sleep(seconds * 1000L);
        counting.set(false);
        long t1 = System.nanoTime();
        long cpu1 = cpu(child);
        long own1 = ownCpu();
        stop.set(true);
        for (Thread t : workers) {
            t.join();
        }
        client.close();
        return new Result(concurrency, tokens, (t1 - t0) / 1e9, requests.get(), tokenCount.get(), chunks.get(),
                cpu1 - cpu0, own1 - own0, errors.get());
    }

    private static long cpu(Process p) {
        return p.info().totalCpuDuration().orElseThrow().toNanos();
    }

    private static long ownCpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    }

    private static void server() throws Exception {
        EchoEngine engine = new EchoEngine(0, 8192, 1024, 4096);
        // paced: one token per 200 µs per stream, so the reader mostly finds one token at a time
        EchoEngine paced = new EchoEngine(200_000, 8192, 1024, 4096);
        ModelCard card = new ModelCard("echo", new ByteTokenizer(), null, "<s>", "</s>",
                new int[]{ByteTokenizer.EOS}, 8192, 16);
        ModelCard pacedCard = new ModelCard("echo-paced", new ByteTokenizer(), null, "<s>", "</s>",
                new int[]{ByteTokenizer.EOS}, 8192, 16);
        HttpFrontend frontend = new HttpFrontend(FrontendConfig.defaults().withHost("127.0.0.1").withPort(0),
                new InMemoryModelRegistry(List.of(new ServedModel(card, engine), new ServedModel(pacedCard, paced))));
        int port = frontend.start();
        System.out.println("PORT " + port);
        System.out.flush();
        System.in.read();  // until the parent goes away
        frontend.close();
        engine.close();
        paced.close();
    }
}
