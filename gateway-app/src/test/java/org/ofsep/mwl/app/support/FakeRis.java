package org.ofsep.mwl.app.support;

import java.io.ByteArrayOutputStream;
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
                    String msg = readFrame(in);
                    if (msg == null) {
                        break;
                    }
                    received.add(msg);
                    String controlId = MllpClient.field(msg, "MSH", 10);
                    String ack = "MSH|^~\\&|RIS|CHU|MWLGW|CHU|20261125||ACK|A" + controlId + "|P|2.3.1\rMSA|AA|"
                            + controlId + "\r";
                    out.write(0x0B);
                    out.write(ack.getBytes(StandardCharsets.ISO_8859_1));
                    out.write(new byte[] {0x1C, 0x0D});
                    out.flush();
                }
            } catch (IOException e) {
                // connection ended; accept the next one
            }
        }
    }

    private static String readFrame(InputStream in) throws IOException {
        int b;
        while ((b = in.read()) != 0x0B) {
            if (b < 0) {
                return null;
            }
        }
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        while ((b = in.read()) != 0x1C) {
            if (b < 0) {
                return null;
            }
            frame.write(b);
        }
        in.read();
        return frame.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
