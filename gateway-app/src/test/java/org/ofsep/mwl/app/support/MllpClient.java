package org.ofsep.mwl.app.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.Charset;

/** A plain MLLP client over a real socket, for end-to-end tests: frame, send, read the ACK frame. */
public final class MllpClient implements AutoCloseable {
    private static final int START = 0x0B;
    private static final int END = 0x1C;
    private static final int CR = 0x0D;

    private final Socket socket;

    public MllpClient(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setSoTimeout(20_000);
    }

    /** Sends one message (segments separated by CR, or by LF in test files) and returns the ACK text. */
    public String send(String message, Charset charset) throws IOException {
        String hl7 = message.replace("\r\n", "\r").replace('\n', '\r');
        OutputStream out = socket.getOutputStream();
        out.write(START);
        out.write(hl7.getBytes(charset));
        out.write(END);
        out.write(CR);
        out.flush();
        return readFrame(charset);
    }

    private String readFrame(Charset charset) throws IOException {
        InputStream in = socket.getInputStream();
        int b;
        while ((b = in.read()) != START) {
            if (b < 0) {
                throw new IOException("connection closed before an ACK");
            }
        }
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        while ((b = in.read()) != END) {
            if (b < 0) {
                throw new IOException("connection closed inside an ACK frame");
            }
            frame.write(b);
        }
        in.read(); // trailing CR
        return frame.toString(charset);
    }

    /** The value of a field in a segment of an HL7 message, e.g. field(ack, "MSA", 1). */
    public static String field(String message, String segment, int index) {
        for (String seg : message.split("\r")) {
            if (seg.startsWith(segment + "|")) {
                String[] fields = seg.split("\\|", -1);
                int i = segment.equals("MSH") ? index - 1 : index;
                return i < fields.length ? fields[i] : "";
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
