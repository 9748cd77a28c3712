package io.jynamo.runtime.tcp;

import io.jynamo.runtime.TcpConfig;
import io.jynamo.api.ErrorCategory;
import io.jynamo.runtime.Instance;
import io.jynamo.runtime.ResponseItem;
import io.jynamo.runtime.ResponseStream;
import io.jynamo.runtime.plane.ClientStream;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** One connection per instance address, shared by every call to it; streams multiplexed by id. */
final class TcpClient implements AutoCloseable {
    private final TcpConfig config;
    private final Map<String, ClientConnection> connections = new ConcurrentHashMap<>();
    private final Map<String, Object> connectLocks = new ConcurrentHashMap<>();
    private volatile boolean closed;

    TcpClient(TcpConfig config) {
        this.config = config;
    }

    ResponseStream call(Instance instance, byte[] request) {
        String address = instance.transport().address();
        ClientConnection c;
        try {
            c = connection(address);
        } catch (IOException e) {
            return failed("cannot connect to instance " + instance.instanceIdHex() + " at " + address + ": "
                    + e.getMessage());
        }
        return c.call(instance.subject(), request);
    }

    private static ResponseStream failed(String message) {
        ClientStream s = new ClientStream(() -> { });
        s.deliver(new ResponseItem.Failure(ErrorCategory.UNAVAILABLE, message));
        return s;
    }

    /**
     * The live connection to an address, connecting if there is none. Connecting holds only that
     * address's lock, so a slow or dead instance delays the calls to it and no others.
     */
    private ClientConnection connection(String address) throws IOException {
        ClientConnection c = connections.get(address);
        if (c != null && !c.conn.closed()) {
            return c;
        }
        Object lock = connectLocks.computeIfAbsent(address, a -> new Object());
        synchronized (lock) {
            c = connections.get(address);
            if (c != null && !c.conn.closed()) {
                return c;
            }
            if (closed) {
                throw new IOException("the tcp plane is closed");
            }
            int colon = address.lastIndexOf(':');
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(address.substring(0, colon),
                        Integer.parseInt(address.substring(colon + 1))), (int) config.connectTimeout().toMillis());
            } catch (IOException e) {
                socket.close();
                throw e;
            }
            c = new ClientConnection(address, new FrameConnection(socket));
            connections.put(address, c);
            c.start();
            if (closed) {
                c.conn.closeQuietly();
            }
            return c;
        }
    }

    @Override
    public void close() {
        closed = true;
        connections.values().forEach(c -> c.conn.closeQuietly());
    }

    private final class ClientConnection {
        final String address;
        final FrameConnection conn;
        final Map<Long, ClientStream> streams = new ConcurrentHashMap<>();
        final AtomicLong nextId = new AtomicLong();
        volatile boolean lost;

        ClientConnection(String address, FrameConnection conn) {
            this.address = address;
            this.conn = conn;
        }

        void start() {
            conn.startReading("tcp-client-read " + address, this::onFrame, reason -> {
                lost = true;
                connections.remove(address, this);
                String why = closed ? "the tcp plane was closed" : "connection to " + address + " lost"
                        + (reason == null ? "" : " (" + reason.getMessage() + ")");
                streams.values().forEach(s -> s.deliver(new ResponseItem.Failure(ErrorCategory.UNAVAILABLE, why)));
                streams.clear();
            });
        }

        ResponseStream call(String target, byte[] request) {
            long id = nextId.getAndIncrement();
            ClientStream stream = new ClientStream(() -> {
                try {
                    conn.send(Frame.cancel(id));
                } catch (IOException e) {
                    // the reader fails the stream
                }
            });
            streams.put(id, stream);
            try {
                conn.send(Frame.request(id, target, request));
            } catch (IOException e) {
                streams.remove(id);
                stream.deliver(new ResponseItem.Failure(ErrorCategory.UNAVAILABLE,
                        "connection to " + address + " lost: " + e.getMessage()));
            }
            if (lost && streams.remove(id) != null) {
                // the reader finished before this stream was added: fail it here
                stream.deliver(new ResponseItem.Failure(ErrorCategory.UNAVAILABLE, "connection to " + address + " lost"));
            }
            return stream;
        }

        private void onFrame(Frame f) {
            ClientStream s = f.type() == Frame.Type.DATA ? streams.get(f.id()) : streams.remove(f.id());
            if (s == null) {
                return;
            }
            switch (f.type()) {
                case DATA -> s.deliver(new ResponseItem.Data(f.body()));
                case END -> s.deliver(new ResponseItem.End());
                case ERROR -> s.deliver(new ResponseItem.Failure(f.category(), f.message()));
                default -> streams.put(f.id(), s); // not for a client: keep the stream as it was
            }
        }
    }
}
