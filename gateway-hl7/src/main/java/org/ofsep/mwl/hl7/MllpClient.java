package org.ofsep.mwl.hl7;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * A plain MLLP client, one message and its ACK at a time (HL7 MLLP release 2 framing: 0x0B, message, 0x1C 0x0D).
 * The gateway itself receives and sends through camel-mllp; this is for `gateway send`, tests and benchmarks.
 */
public final class MllpClient implements AutoCloseable {
    private static final int START_BLOCK = 0x0B;
    private static final int END_BLOCK = 0x1C;
    private static final int CARRIAGE_RETURN = 0x0D;

    private final Socket socket;

    public MllpClient(String host, int port, Duration timeout) throws IOException {
        socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.setTcpNoDelay(true);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends one message (bytes in its charset, segments separated by CR) and returns the ACK's bytes. */
    public byte[] exchange(byte[] message) throws IOException {
        writeFrame(socket.getOutputStream(), message);
        byte[] ack = readFrame(socket.getInputStream());
        if (ack == null) {
            throw new IOException("connection closed before the ACK");
        }
        return ack;
    }

    /** Writes one MLLP frame. */
    public static void writeFrame(OutputStream out, byte[] message) throws IOException {
        out.write(START_BLOCK);
        out.write(message);
        out.write(END_BLOCK);
        out.write(CARRIAGE_RETURN);
        out.flush();
    }

    /** Reads one MLLP frame's content; null when the peer closed before a frame started. */
    public static byte[] readFrame(InputStream in) throws IOException {
        int b;
        while ((b = in.read()) != START_BLOCK) {
            if (b < 0) {
                return null;
            }
        }
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        while ((b = in.read()) != END_BLOCK) {
            if (b < 0) {
                throw new IOException("connection closed inside an MLLP frame");
            }
            frame.write(b);
        }
        in.read(); // the trailing CR
        return frame.toByteArray();
    }

    /**
     * A field of the first segment with this name in a message's text (segments separated by CR), for reading an
     * ACK: {@code field(ack, "MSA", 1)}. MSH fields are numbered as HL7 does (MSH-1 is the field separator).
     * Empty when the segment has no such field, null when there is no such segment.
     */
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
