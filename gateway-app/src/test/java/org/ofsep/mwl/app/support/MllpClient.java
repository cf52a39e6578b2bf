package org.ofsep.mwl.app.support;

import java.io.IOException;
import java.nio.charset.Charset;
import java.time.Duration;

/** The gateway's MLLP client with text in and out, for end-to-end tests. */
public final class MllpClient implements AutoCloseable {
    private final org.ofsep.mwl.hl7.MllpClient client;

    public MllpClient(String host, int port) throws IOException {
        client = new org.ofsep.mwl.hl7.MllpClient(host, port, Duration.ofSeconds(20));
    }

    /** Sends one message (segments separated by CR, or by LF in test files) and returns the ACK text. */
    public String send(String message, Charset charset) throws IOException {
        String hl7 = message.replace("\r\n", "\r").replace('\n', '\r');
        return new String(client.exchange(hl7.getBytes(charset)), charset);
    }

    /** The value of a field in a segment of an HL7 message, e.g. field(ack, "MSA", 1). */
    public static String field(String message, String segment, int index) {
        return org.ofsep.mwl.hl7.MllpClient.field(message, segment, index);
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
