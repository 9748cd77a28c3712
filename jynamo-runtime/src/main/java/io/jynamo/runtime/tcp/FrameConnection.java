package io.jynamo.runtime.tcp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A socket carrying frames. Any thread may send; concurrent senders share one flush (the last one
 * out flushes), so a busy connection makes fewer system calls than frames. One thread reads.
 */
final class FrameConnection {
    private final Socket socket;
    private final String peer;
    private final DataInputStream in;
    private final OutputStream out;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicInteger senders = new AtomicInteger();
    private volatile boolean closed;

    FrameConnection(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        socket.setKeepAlive(true); // a peer host that vanished without a FIN is found out eventually
        this.socket = socket;
        this.peer = socket.getRemoteSocketAddress().toString();
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    }

    String peer() {
        return peer;
    }

    /** Writes a frame; throws if the connection is closed or broken. */
    void send(Frame frame) throws IOException {
        byte[] bytes = FrameCodec.encode(frame);
        senders.incrementAndGet();
        writeLock.lock();
        try {
            boolean last;
            try {
                if (closed) {
                    throw new IOException("connection to " + peer + " is closed");
                }
                out.write(bytes);
            } finally {
                last = senders.decrementAndGet() == 0;
            }
            if (last) {
                out.flush();
            }
        } catch (IOException e) {
            closeQuietly();
            throw e;
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs {@code sends} (calls of {@link #send}) and flushes once at the end, not after each frame. */
    void batch(IoAction sends) throws IOException {
        senders.incrementAndGet();
        try {
            sends.run();
        } finally {
            if (senders.decrementAndGet() == 0 && !closed) {
                writeLock.lock();
                try {
                    out.flush();
                } catch (IOException e) {
                    closeQuietly();
                    throw e;
                } finally {
                    writeLock.unlock();
                }
            }
        }
    }

    @FunctionalInterface
    interface IoAction {
        void run() throws IOException;
    }

    /**
     * Reads frames on a new platform thread until the connection ends, then calls {@code onClose} once
     * with the reason (null for a clean end of stream).
     */
    void startReading(String name, Consumer<Frame> onFrame, Consumer<IOException> onClose) {
        // A platform thread: connections are few (one per client-instance pair), and a blocked read is woken
        // by the kernel directly, without the virtual-thread poller's extra hand-off on every frame.
        Thread.ofPlatform().daemon().name(name).start(() -> {
            IOException reason = null;
            try {
                while (true) {
                    onFrame.accept(FrameCodec.read(in));
                }
            } catch (java.io.EOFException e) {
                reason = null;
            } catch (IOException e) {
                reason = e;
            } finally {
                closeQuietly();
                onClose.accept(reason);
            }
        });
    }

    boolean closed() {
        return closed;
    }

    void closeQuietly() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
