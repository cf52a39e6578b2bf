package org.ofsep.mwl.app.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A RIS that receives the gateway's status messages over MLLP and answers AA. */
public final class FakeRis implements AutoCloseable {
    private final ServerSocket server;
    public final List<String> received = new CopyOnWriteArrayList<>();

    public FakeRis() throws IOException {
        server = new ServerSocket(0);
        Thread t = new Thread(this::serve, "fake-ris");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                while (true) {
                    byte[] frame = org.ofsep.mwl.hl7.MllpClient.readFrame(in);
                    if (frame == null) {
                        break;
                    }
                    String msg = new String(frame, StandardCharsets.ISO_8859_1);
                    received.add(msg);
                    String controlId = MllpClient.field(msg, "MSH", 10);
                    String ack = "MSH|^~\\&|RIS|CHU|MWLGW|CHU|20261125||ACK|A" + controlId + "|P|2.3.1\rMSA|AA|"
                            + controlId + "\r";
                    org.ofsep.mwl.hl7.MllpClient.writeFrame(out, ack.getBytes(StandardCharsets.ISO_8859_1));
                }
            } catch (IOException e) {
                // connection ended; accept the next one
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
