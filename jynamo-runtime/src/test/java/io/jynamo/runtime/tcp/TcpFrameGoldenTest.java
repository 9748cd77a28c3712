package io.jynamo.runtime.tcp;

import io.jynamo.api.ErrorCategory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The frame layout of the package doc, byte for byte. The CRC32C values were computed independently (bitwise). */
@Timeout(10)
class TcpFrameGoldenTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static Frame read(byte[] bytes) throws IOException {
        return FrameCodec.read(new DataInputStream(new ByteArrayInputStream(bytes)));
    }

    @Test
    void dataFrame() throws IOException {
        byte[] golden = concat(hex("00000016 00000002 eb8edbdf"), ascii("{\"id\":7,\"type\":\"data\"}"), ascii("hi"));
        assertArrayEquals(golden, FrameCodec.encode(Frame.data(7, ascii("hi"))));
        Frame f = read(golden);
        assertEquals(Frame.Type.DATA, f.type());
        assertEquals(7, f.id());
        assertArrayEquals(ascii("hi"), f.body());
    }

    @Test
    void requestFrame() throws IOException {
        String header = "{\"id\":3,\"type\":\"request\",\"target\":\"jyn.ns.c.e.ff\"}";
        byte[] golden = concat(hex("00000032 00000002 feeee679"), ascii(header), ascii("{}"));
        assertArrayEquals(golden, FrameCodec.encode(Frame.request(3, "jyn.ns.c.e.ff", ascii("{}"))));
        Frame f = read(golden);
        assertEquals("jyn.ns.c.e.ff", f.target());
    }

    @Test
    void errorFrameEscapesItsMessage() throws IOException {
        String header = "{\"id\":3,\"type\":\"error\",\"category\":\"bad_request\",\"message\":\"no \\\"x\\\"\"}";
        byte[] golden = concat(hex("00000045 00000000 b5ec46d4"), ascii(header));
        assertArrayEquals(golden, FrameCodec.encode(Frame.error(3, ErrorCategory.BAD_REQUEST, "no \"x\"")));
        Frame f = read(golden);
        assertEquals(ErrorCategory.BAD_REQUEST, f.category());
        assertEquals("no \"x\"", f.message());
    }

    @Test
    void unknownHeaderFieldsAreIgnored() throws IOException {
        Frame f = FrameCodec.parse(ascii("{\"id\":9,\"x\":{\"y\":[1]},\"type\":\"end\",\"z\":1}"), new byte[0]);
        assertEquals(Frame.end(9).type(), f.type());
        assertEquals(9, f.id());
    }

    @Test
    void aCorruptFrameIsRefused() {
        byte[] frame = FrameCodec.encode(Frame.data(7, ascii("hi")));
        frame[frame.length - 1] ^= 1;
        assertThrows(IOException.class, () -> read(frame));
        byte[] tooLong = concat(hex("7fffffff 00000000 00000000"));
        assertThrows(IOException.class, () -> read(tooLong));
    }
}
