package io.jynamo.engine.format.gguf;

import io.jynamo.api.ErrorCategory;
import io.jynamo.engine.EngineException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A buffered, little-endian, position-counting output over a file channel, shared by the GGUF and
 * safetensors writers. Small writes (header fields, a tensor writer's rows) gather in one direct
 * buffer; writes at least as large as the buffer go straight to the file, so a tensor is never held
 * whole in memory.
 */
public final class ChannelOutput implements WritableByteChannel {
    private static final int DEFAULT_BUFFER = 1 << 20;

    /** What {@link #writeFile} runs to fill the file. */
    @FunctionalInterface
    public interface Body {
        void write(ChannelOutput out) throws IOException;
    }

    private final FileChannel file;
    private final ByteBuffer buf;
    private long flushed;

    public ChannelOutput(FileChannel file) {
        this(file, DEFAULT_BUFFER);
    }

    public ChannelOutput(FileChannel file, int bufferBytes) {
        this.file = file;
        this.buf = ByteBuffer.allocateDirect(bufferBytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Writes {@code out} through a temporary file beside it that replaces it only once complete, so a
     * failed write (a tensor writer's error, a full disk) never leaves a half-written model behind.
     */
    public static void writeFile(Path out, Body body) {
        Path dir = out.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            // not Files.createTempFile: its owner-only permissions would carry over to the model file
            tmp = dir.resolve("." + out.getFileName() + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".part");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
                ChannelOutput o = new ChannelOutput(ch);
                body.write(o);
                o.flush();
            }
            moveIntoPlace(tmp, out);
            tmp = null;
        } catch (IOException e) {
            throw new EngineException(ErrorCategory.UNAVAILABLE, "cannot write " + out + ": " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure is what the caller needs to see
                }
            }
        }
    }

    private static void moveIntoPlace(Path tmp, Path out) throws IOException {
        try {
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Bytes written so far, buffered or not. */
    public long position() {
        return flushed + buf.position();
    }

    private ByteBuffer room(int n) throws IOException {
        if (buf.remaining() < n) {
            flush();
        }
        return buf;
    }

    public void putU8(int v) throws IOException {
        room(1).put((byte) v);
    }

    public void putI16(short v) throws IOException {
        room(2).putShort(v);
    }

    public void putI32(int v) throws IOException {
        room(4).putInt(v);
    }

    public void putI64(long v) throws IOException {
        room(8).putLong(v);
    }

    public void putF32(float v) throws IOException {
        room(4).putFloat(v);
    }

    public void putF64(double v) throws IOException {
        room(8).putDouble(v);
    }

    public void putBytes(byte[] b) throws IOException {
        write(ByteBuffer.wrap(b));
    }

    /** Writes zeros until {@link #position()} is a multiple of {@code alignment}. */
    public void pad(long alignment) throws IOException {
        while (position() % alignment != 0) {
            putU8(0);
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int n = src.remaining();
        if (n >= buf.capacity()) {
            flush();
            while (src.hasRemaining()) {
                flushed += file.write(src);
            }
            return n;
        }
        while (src.hasRemaining()) {
            if (!buf.hasRemaining()) {
                flush();
            }
            int take = Math.min(buf.remaining(), src.remaining());
            ByteBuffer part = src.slice(src.position(), take);
            buf.put(part);
            src.position(src.position() + take);
        }
        return n;
    }

    /** Pushes buffered bytes to the file. */
    public void flush() throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            flushed += file.write(buf);
        }
        buf.clear();
    }

    @Override
    public boolean isOpen() {
        return file.isOpen();
    }

    /** Flushes; the file channel itself stays open (its opener closes it). */
    @Override
    public void close() throws IOException {
        flush();
    }

    /**
     * Gives {@code source} a channel for exactly {@code expected} bytes of tensor {@code name} and
     * checks that it wrote all of them and no more.
     */
    public void writeTensor(String name, long expected, GgufWriter.TensorWriter source) throws IOException {
        Limited ch = new Limited(name, expected);
        source.write(name, ch);
        if (ch.count != expected) {
            throw EngineException.badInput("the tensor writer wrote " + ch.count + " bytes for tensor " + name
                    + ", which needs exactly " + expected);
        }
    }

    /** A view that counts and refuses bytes past the tensor's size; closing it does nothing. */
    private final class Limited implements WritableByteChannel {
        private final String name;
        private final long expected;
        private long count;

        Limited(String name, long expected) {
            this.name = name;
            this.expected = expected;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (src.remaining() > expected - count) {
                throw EngineException.badInput("the tensor writer wrote more than the " + expected
                        + " bytes of tensor " + name);
            }
            int n = ChannelOutput.this.write(src);
            count += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return ChannelOutput.this.isOpen();
        }

        @Override
        public void close() {
        }
    }
}
