package org.ofsep.mwl.hl7.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** A bare MLLP client over a real socket (no Camel, no HAPI), so the tests see exactly the bytes on the wire. */
public final class MllpTestClient implements AutoCloseable {
    public static final int START = 0x0B;
    public static final int END = 0x1C;
    public static final int CR = 0x0D;

    private final Socket socket;

    public MllpTestClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(15_000);
    }

    /** Sends one framed message and returns the ACK frame's bytes. */
    public byte[] send(byte[] message) throws IOException {
        write(message);
        return readFrame();
    }

    public void write(byte[] message) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(START);
        out.write(message);
        out.write(END);
        out.write(CR);
        out.flush();
    }

    /** Writes raw bytes without framing (to send half a frame). */
    public void writeRaw(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    public byte[] readFrame() throws IOException {
        InputStream in = socket.getInputStream();
        int b;
        while ((b = in.read()) != START) {
            if (b < 0) {
                throw new IOException("connection closed before a frame");
            }
        }
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        while ((b = in.read()) != END) {
            if (b < 0) {
                throw new IOException("connection closed inside a frame");
            }
            frame.write(b);
        }
        in.read();
        return frame.toByteArray();
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A field of the first segment with this name: field(ack, "MSA", 1). */
    public static String field(String message, String segment, int index) {
        return org.ofsep.mwl.hl7.MllpClient.field(message, segment, index);
    }
}
