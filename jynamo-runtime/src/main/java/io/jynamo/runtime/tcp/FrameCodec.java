package io.jynamo.runtime.tcp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.jynamo.api.ErrorCategory;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/** Writes and reads frames (layout in the package doc). */
public final class FrameCodec {
    public static final int PREFIX_BYTES = 12;
    public static final int MAX_HEADER_BYTES = 1 << 16;
    public static final int MAX_BODY_BYTES = 1 << 26;

    private static final JsonFactory JSON = new JsonFactory();

    private FrameCodec() {
    }

    /** The whole frame as bytes, ready to write. */
    public static byte[] encode(Frame f) {
        byte[] header = header(f);
        byte[] body = f.body();
        if (body.length > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("a frame body is at most " + MAX_BODY_BYTES + " bytes, got " + body.length);
        }
        CRC32C crc = new CRC32C();
        crc.update(header);
        crc.update(body);
        ByteBuffer out = ByteBuffer.allocate(PREFIX_BYTES + header.length + body.length);
        out.putInt(header.length).putInt(body.length).putInt((int) crc.getValue()).put(header).put(body);
        return out.array();
    }

    static byte[] header(Frame f) {
        if (f.type() == Frame.Type.DATA || f.type() == Frame.Type.END || f.type() == Frame.Type.CANCEL) {
            // the per-item path: no escaping needed, so no JSON generator
            return ("{\"id\":" + f.id() + ",\"type\":\"" + f.type().wireName() + "\"}").getBytes(StandardCharsets.US_ASCII);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("id", f.id());
            g.writeStringField("type", f.type().wireName());
            if (f.target() != null) {
                g.writeStringField("target", f.target());
            }
            if (f.category() != null) {
                g.writeStringField("category", f.category().wireName());
                g.writeStringField("message", f.message());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** Reads one frame; throws EOFException at a clean end of stream and IOException on a corrupt frame. */
    public static Frame read(DataInputStream in) throws IOException {
        int headerLength;
        try {
            headerLength = in.readInt();
        } catch (EOFException e) {
            throw e;
        }
        int bodyLength = in.readInt();
        int checksum = in.readInt();
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || bodyLength < 0 || bodyLength > MAX_BODY_BYTES) {
            throw new IOException("bad frame lengths: header " + Integer.toUnsignedString(headerLength) + ", body "
                    + Integer.toUnsignedString(bodyLength));
        }
        byte[] header = new byte[headerLength];
        in.readFully(header);
        byte[] body = new byte[bodyLength];
        in.readFully(body);
        CRC32C crc = new CRC32C();
        crc.update(header);
        crc.update(body);
        if ((int) crc.getValue() != checksum) {
            throw new IOException("frame checksum mismatch");
        }
        return parse(header, body);
    }

    static Frame parse(byte[] header, byte[] body) throws IOException {
        long id = -1;
        String type = null;
        String target = null;
        String category = null;
        String message = null;
        try (JsonParser p = JSON.createParser(header)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a frame header is a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "id" -> id = p.getLongValue();
                    case "type" -> type = p.getText();
                    case "target" -> target = p.getText();
                    case "category" -> category = p.getText();
                    case "message" -> message = p.getText();
                    default -> {
                        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                            p.skipChildren();
                        }
                    }
                }
            }
        }
        if (id < 0 || type == null) {
            throw new IOException("a frame header needs an id and a type");
        }
        Frame.Type t = Frame.Type.fromWire(type);
        if (t == Frame.Type.REQUEST && target == null) {
            throw new IOException("a request frame needs a target");
        }
        ErrorCategory c = t == Frame.Type.ERROR ? ErrorCategory.fromWire(category) : null;
        return new Frame(id, t, target, c, message, body);
    }
}
