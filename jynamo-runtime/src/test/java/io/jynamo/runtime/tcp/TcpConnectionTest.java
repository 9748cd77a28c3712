package io.jynamo.runtime.tcp;

import io.jynamo.runtime.TcpConfig;
import io.jynamo.api.ErrorCategory;
import io.jynamo.runtime.EndpointId;
import io.jynamo.runtime.ResponseItem;
import io.jynamo.runtime.ResponseStream;
import io.jynamo.runtime.ServedEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TCP plane at the byte level: a raw client, and a corrupt frame. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TcpConnectionTest {
    private static final EndpointId EP = new EndpointId("t", "raw", "echo");

    private static int port(ServedEndpoint served) {
        String address = served.instance().transport().address();
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    @Test
    void aRawClientSpeaksTheDocumentedFrames() throws Exception {
        try (TcpRequestPlane plane = new TcpRequestPlane(TcpConfig.loopback());
             ServedEndpoint served = plane.serve(EP, 0x1f, (request, sink) -> {
                 sink.send(request);
                 sink.error(ErrorCategory.NOT_FOUND, "no such thing");
             });
             Socket socket = new Socket("127.0.0.1", port(served))) {
            OutputStream out = socket.getOutputStream();
            out.write(FrameCodec.encode(Frame.request(5, served.instance().subject(), "ping".getBytes(StandardCharsets.UTF_8))));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            Frame data = FrameCodec.read(in);
            assertEquals(Frame.Type.DATA, data.type());
            assertEquals(5, data.id());
            assertArrayEquals("ping".getBytes(StandardCharsets.UTF_8), data.body());
            Frame error = FrameCodec.read(in);
            assertEquals(Frame.Type.ERROR, error.type());
            assertEquals(ErrorCategory.NOT_FOUND, error.category());
            assertEquals("no such thing", error.message());
        }
    }

    @Test
    void aCorruptFrameClosesTheConnectionAndCancelsItsStreams() throws Exception {
        CountDownLatch cancelled = new CountDownLatch(1);
        try (TcpRequestPlane plane = new TcpRequestPlane(TcpConfig.loopback());
             ServedEndpoint served = plane.serve(EP, 0x2f, (request, sink) -> sink.onCancel(cancelled::countDown));
             Socket socket = new Socket("127.0.0.1", port(served))) {
            OutputStream out = socket.getOutputStream();
            out.write(FrameCodec.encode(Frame.request(1, served.instance().subject(), new byte[0])));
            byte[] bad = FrameCodec.encode(Frame.cancel(1));
            bad[bad.length - 2] ^= 0x20; // checksum no longer matches
            out.write(bad);
            out.flush();
            InputStream in = socket.getInputStream();
            assertEquals(-1, in.read(), "the server closed the connection");
            assertTrue(cancelled.await(10, TimeUnit.SECONDS), "the open stream was cancelled");
        }
    }

    @Test
    void aStreamFailsWhenTheServerClosesTheConnection() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        TcpRequestPlane server = new TcpRequestPlane(TcpConfig.loopback());
        try (TcpRequestPlane client = new TcpRequestPlane(TcpConfig.loopback())) {
            ServedEndpoint served = server.serve(EP, 0x3f, (request, sink) -> {
                sink.send(new byte[]{1});
                started.countDown();
            });
            ResponseStream stream = client.call(served.instance(), new byte[0]);
            assertInstanceOf(ResponseItem.Data.class, stream.take());
            assertTrue(started.await(10, TimeUnit.SECONDS));
            server.close();
            ResponseItem.Failure f = assertInstanceOf(ResponseItem.Failure.class, stream.take());
            assertEquals(ErrorCategory.UNAVAILABLE, f.category());
            assertTrue(f.message().contains("lost"), f.message());
        }
    }
}
