package io.jynamo.llm.remote;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.JynamoException;
import io.jynamo.api.engine.Engine;
import io.jynamo.api.engine.RequestStream;
import io.jynamo.api.output.EngineOutput;
import io.jynamo.api.output.FinishReason;
import io.jynamo.api.request.StopConditions;
import io.jynamo.api.request.PreprocessedRequest;
import io.jynamo.engine.EchoEngine;
import io.jynamo.runtime.EndpointId;
import io.jynamo.llm.EngineEndpoint;
import io.jynamo.llm.RemoteEngine;
import io.jynamo.runtime.RequestPlane;
import io.jynamo.runtime.ResponseItem;
import io.jynamo.runtime.ResponseStream;
import io.jynamo.runtime.ServedEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every request plane must do, checked by serving the echo engine through {@link EngineEndpoint}
 * and calling it through {@link RemoteEngine}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class RequestPlaneContractTest {
    protected static final EndpointId ENDPOINT = new EndpointId("test", "worker", "generate");
    private static final AtomicLong IDS = new AtomicLong(0xabc0);

    protected final List<AutoCloseable> toClose = new ArrayList<>();

    /** The plane that serves; for planes without a network it is also the client's. */
    protected abstract RequestPlane serverPlane();

    protected abstract RequestPlane clientPlane();

    /** Stops the server abruptly, as a crash of the worker process would. */
    protected abstract void killServer(RequestPlane serverPlane, ServedEndpoint served);

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private record Served(Engine engine, ServedEndpoint endpoint, RemoteEngine remote, RequestPlane server) {
    }

    private Served serve(long tokenDelayNanos) {
        EchoEngine engine = new EchoEngine(tokenDelayNanos, 4096, 64, 64);
        toClose.add(engine);
        RequestPlane server = serverPlane();
        ServedEndpoint endpoint = EngineEndpoint.serve(server, ENDPOINT, IDS.getAndIncrement(), engine);
        toClose.add(endpoint);
        return new Served(engine, endpoint, new RemoteEngine(clientPlane(), endpoint.instance()), server);
    }

    static PreprocessedRequest request(String id, int promptLength, int maxTokens, int n) {
        int[] tokens = IntStream.rangeClosed(1, promptLength).toArray();
        return new PreprocessedRequest(id, "echo", tokens, null, StopConditions.maxTokens(maxTokens), null, n);
    }

    /** Every output until the stream ends. */
    static List<EngineOutput> drain(RequestStream stream) throws InterruptedException {
        List<EngineOutput> out = new ArrayList<>();
        EngineOutput o;
        while ((o = stream.take()) != null) {
            out.add(o);
        }
        return out;
    }

    static int[] tokensOf(List<EngineOutput> outputs, int index) {
        return outputs.stream().filter(o -> o.index() == index && o instanceof EngineOutput.Tokens)
                .flatMapToInt(o -> IntStream.of(((EngineOutput.Tokens) o).tokenIds())).toArray();
    }

    static EngineOutput terminalOf(List<EngineOutput> outputs, int index) {
        return outputs.stream().filter(o -> o.index() == index && !(o instanceof EngineOutput.Tokens))
                .reduce((a, b) -> {
                    throw new AssertionError("two terminal items for sequence " + index + ": " + a + ", " + b);
                }).orElseThrow(() -> new AssertionError("no terminal item for sequence " + index));
    }

    @Test
    void streamsTheTokensAndFinishes() throws Exception {
        Served s = serve(0);
        RequestStream stream = s.remote().submit(request("r1", 5, 16, 1));
        List<EngineOutput> out = drain(stream);
        assertArrayEquals(new int[]{1, 2, 3, 4, 5}, tokensOf(out, 0));
        assertEquals(new EngineOutput.Finished(0, FinishReason.STOP, 5, 5), terminalOf(out, 0));
        assertTrue(stream.isDone());
        assertNull(stream.take());
    }

    @Test
    void maxTokensEndsWithLength() throws Exception {
        Served s = serve(0);
        List<EngineOutput> out = drain(s.remote().submit(request("r-len", 10, 3, 1)));
        assertArrayEquals(new int[]{1, 2, 3}, tokensOf(out, 0));
        assertEquals(new EngineOutput.Finished(0, FinishReason.LENGTH, 10, 3), terminalOf(out, 0));
    }

    @Test
    void nSequencesEachStreamAndEnd() throws Exception {
        Served s = serve(0);
        List<EngineOutput> out = drain(s.remote().submit(request("r-n2", 4, 16, 2)));
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(new int[]{1, 2, 3, 4}, tokensOf(out, i));
            assertEquals(new EngineOutput.Finished(i, FinishReason.STOP, 4, 4), terminalOf(out, i));
        }
    }

    @Test
    void manyConcurrentRequestsShareTheInstance() throws Exception {
        Served s = serve(0);
        List<RequestStream> streams = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            streams.add(s.remote().submit(request("c" + i, 3 + i % 5, 16, 1)));
        }
        for (int i = 0; i < streams.size(); i++) {
            List<EngineOutput> out = drain(streams.get(i));
            assertArrayEquals(IntStream.rangeClosed(1, 3 + i % 5).toArray(), tokensOf(out, 0));
        }
    }

    @Test
    void aRefusedRequestThrowsWithTheEnginesCategory() {
        Served s = serve(0);
        JynamoException e = assertThrows(JynamoException.class, () -> s.remote().submit(request("r-big", 10, 5000, 1)));
        assertEquals(ErrorCategory.BAD_REQUEST, e.category());
        assertTrue(e.getMessage().contains("context length"), e.getMessage());
    }

    @Test
    void malformedBodyFailsAsBadRequest() throws Exception {
        Served s = serve(0);
        ResponseStream stream = clientPlane().call(s.endpoint().instance(),
                "{\"token_ids\": \"nope\"".getBytes(StandardCharsets.UTF_8));
        ResponseItem item = stream.take();
        ResponseItem.Failure f = assertInstanceOf(ResponseItem.Failure.class, item);
        assertEquals(ErrorCategory.BAD_REQUEST, f.category());
        assertNull(stream.take());
    }

    @Test
    void metricsComeBack() throws Exception {
        Served s = serve(0);
        drain(s.remote().submit(request("r-m", 3, 16, 1)));
        assertEquals(3, s.remote().metrics().tokensGenerated());
    }

    @Test
    void cancellationReachesTheEngine() throws Exception {
        Served s = serve(TimeUnit.MILLISECONDS.toNanos(5));
        RequestStream stream = s.remote().submit(request("r-cancel", 2000, 2000, 1));
        EngineOutput first = stream.take();
        assertInstanceOf(EngineOutput.Tokens.class, first);
        s.remote().cancel("r-cancel");
        List<EngineOutput> rest = drain(stream);
        EngineOutput.Finished end = assertInstanceOf(EngineOutput.Finished.class, terminalOf(rest, 0));
        assertEquals(FinishReason.CANCELLED, end.reason());
        assertTrue(end.completionTokens() < 2000, "stopped early: " + end);
    }

    @Test
    void aServerThatDiesMidStreamEndsTheStreamWithUnavailable() throws Exception {
        Served s = serve(TimeUnit.MILLISECONDS.toNanos(5));
        RequestStream stream = s.remote().submit(request("r-kill", 2000, 2000, 2));
        assertInstanceOf(EngineOutput.Tokens.class, stream.take());
        killServer(s.server(), s.endpoint());
        List<EngineOutput> rest = drain(stream);
        for (int i = 0; i < 2; i++) {
            EngineOutput.Failed f = assertInstanceOf(EngineOutput.Failed.class, terminalOf(rest, i));
            assertEquals(ErrorCategory.UNAVAILABLE, f.category());
        }
    }

    @Test
    void aClientThatGoesAwayCancelsItsRequestsOnTheEngine() throws Exception {
        Served s = serve(TimeUnit.MILLISECONDS.toNanos(5));
        RequestStream stream = s.remote().submit(request("r-away", 2000, 2000, 1));
        assertInstanceOf(EngineOutput.Tokens.class, stream.take());
        assertEquals(1, s.engine().metrics().running());
        clientPlane().close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (s.engine().metrics().running() + s.engine().metrics().waiting() > 0) {
            assertTrue(System.nanoTime() < deadline, "the engine still runs the request 20 s after its client left");
            Thread.sleep(10);
        }
        assertTrue(s.engine().metrics().tokensGenerated() < 2000, "cancelled before the end");
    }

    @Test
    void callingAnInstanceThatIsGoneFailsWithUnavailable() throws Exception {
        Served s = serve(0);
        killServer(s.server(), s.endpoint());
        JynamoException e = assertThrows(JynamoException.class, () -> s.remote().submit(request("r-gone", 3, 3, 1)));
        assertEquals(ErrorCategory.UNAVAILABLE, e.category());
    }
}
