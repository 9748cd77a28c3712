package io.jynamo.runtime.tcp;

import io.jynamo.runtime.TcpConfig;
import io.jynamo.api.ErrorCategory;
import io.jynamo.runtime.RequestHandler;
import io.jynamo.runtime.RuntimeFailure;
import io.jynamo.runtime.plane.Handlers;
import io.jynamo.runtime.plane.ServerSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Accepts connections and runs the handler of each request's target on a virtual thread. */
final class TcpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TcpServer.class);

    private final ServerSocket serverSocket;
    private final Map<String, RequestHandler> targets = new ConcurrentHashMap<>();
    private final Set<ServerConnection> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    TcpServer(TcpConfig config) {
        try {
            serverSocket = new ServerSocket();
            serverSocket.bind(new InetSocketAddress(config.bindHost(), config.port()), 512);
        } catch (IOException e) {
            throw new RuntimeFailure(ErrorCategory.UNAVAILABLE, "cannot listen on " + config.bindHost() + ":"
                    + config.port() + ": " + e.getMessage(), e);
        }
        Thread.ofVirtual().name("tcp-accept-" + port()).start(this::acceptLoop);
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    void register(String target, RequestHandler handler) {
        if (targets.putIfAbsent(target, handler) != null) {
            throw RuntimeFailure.badRequest(target + " is already served");
        }
    }

    /** Stops serving a target: its open streams fail with UNAVAILABLE (a graceful stop). */
    void unregister(String target) {
        targets.remove(target);
        for (ServerConnection c : connections) {
            c.sinks.values().stream().filter(s -> s.target.equals(target))
                    .forEach(s -> s.error(ErrorCategory.UNAVAILABLE, "the instance stopped serving (" + target + ")"));
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = serverSocket.accept();
                ServerConnection c = new ServerConnection(new FrameConnection(socket));
                connections.add(c);
                if (closed) {
                    // accepted while closing: close() may have missed it
                    connections.remove(c);
                    c.conn.closeQuietly();
                    return;
                }
                c.start();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("tcp accept on port {} failed: {}", port(), e.getMessage());
                }
            }
        }
    }

    /** Closes the listening socket and every connection at once, as a crash would. */
    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        connections.forEach(c -> c.conn.closeQuietly());
    }

    private final class ServerConnection {
        final FrameConnection conn;
        final Map<Long, TcpSink> sinks = new ConcurrentHashMap<>();

        ServerConnection(FrameConnection conn) {
            this.conn = conn;
        }

        void start() {
            conn.startReading("tcp-server-read " + conn.peer(), this::onFrame, reason -> {
                connections.remove(this);
                sinks.values().forEach(ServerSink::abandon);
                sinks.clear();
            });
        }

        private void onFrame(Frame f) {
            switch (f.type()) {
                case REQUEST -> {
                    TcpSink sink = new TcpSink(this, f.id(), f.target());
                    RequestHandler handler = targets.get(f.target());
                    if (handler == null) {
                        sink.error(ErrorCategory.UNAVAILABLE, "no instance " + f.target() + " is served here");
                    } else if (sinks.putIfAbsent(f.id(), sink) != null) {
                        LOG.warn("stream id {} reused on {}; ignoring the request", f.id(), conn.peer());
                    } else {
                        Handlers.start(handler, f.body(), sink);
                    }
                }
                case CANCEL -> {
                    TcpSink sink = sinks.get(f.id());
                    if (sink != null) {
                        sink.cancel();
                    }
                }
                default -> LOG.debug("ignoring a {} frame from a client", f.type());
            }
        }
    }

    private static final class TcpSink extends ServerSink {
        final ServerConnection owner;
        final long id;
        final String target;

        TcpSink(ServerConnection owner, long id, String target) {
            this.owner = owner;
            this.id = id;
            this.target = target;
        }

        private void write(Frame f) {
            try {
                owner.conn.send(f);
            } catch (IOException e) {
                // the reader sees the broken connection and abandons every stream on it
            }
        }

        @Override
        protected void writeData(byte[] item) {
            write(Frame.data(id, item));
        }

        @Override
        public void sendLast(byte[] item) {
            try {
                owner.conn.batch(() -> {
                    send(item);
                    end();
                });
            } catch (IOException e) {
                // the reader sees the broken connection and abandons every stream on it
            }
        }

        @Override
        protected void writeEnd() {
            write(Frame.end(id));
        }

        @Override
        protected void writeError(ErrorCategory category, String message) {
            write(Frame.error(id, category, message));
        }

        @Override
        protected void released() {
            owner.sinks.remove(id, this);
        }
    }
}
