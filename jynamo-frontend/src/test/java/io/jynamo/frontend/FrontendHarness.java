package io.jynamo.frontend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jynamo.engine.EchoEngine;
import io.jynamo.llm.ModelCard;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A frontend on an ephemeral port serving "echo" (echo engine, test tokenizer, ChatML test
 * template) and "echo-plain" (no chat template), with a real HTTP client.
 */
public final class FrontendHarness implements AutoCloseable {
    public static final int CONTEXT = 4096;
    public static final ObjectMapper JSON = new ObjectMapper();

    public final EchoEngine engine;
    public final HttpFrontend frontend;
    public final int port;
    public final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    public FrontendHarness(long tokenDelayNanos, FrontendConfig config) {
        engine = new EchoEngine(tokenDelayNanos, CONTEXT, 256, 1024);
        EchoEngine plainEngine = new EchoEngine(0, CONTEXT, 16, 16);
        ByteTokenizer tokenizer = new ByteTokenizer();
        ModelCard echo = new ModelCard("echo", tokenizer, new ChatMlTemplate(), "<s>", "</s>",
                new int[]{ByteTokenizer.EOS}, CONTEXT, 16);
        ModelCard plain = new ModelCard("echo-plain", tokenizer, null, "<s>", "</s>",
                new int[]{ByteTokenizer.EOS}, CONTEXT, 16);
        InMemoryModelRegistry registry = new InMemoryModelRegistry(
                List.of(new ServedModel(echo, engine), new ServedModel(plain, plainEngine)));
        frontend = new HttpFrontend(config.withPort(0), registry);
        port = frontend.start();
    }

    public FrontendHarness() {
        this(0, FrontendConfig.defaults().withHost("127.0.0.1").withEventLoops(2));
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return post(path, body.getBytes(StandardCharsets.UTF_8));
    }

    public HttpResponse<String> post(String path, byte[] body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public static JsonNode json(String body) throws IOException {
        return JSON.readTree(body);
    }

    /** The {@code data:} payloads of an SSE body, in order ("[DONE]" included). */
    public static List<String> events(String body) throws IOException {
        return events(new java.io.ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    public static List<String> events(InputStream in) throws IOException {
        List<String> out = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.startsWith("data: ")) {
                out.add(line.substring(6));
            }
        }
        return out;
    }

    @Override
    public void close() {
        frontend.close();
        engine.close();
    }
}
