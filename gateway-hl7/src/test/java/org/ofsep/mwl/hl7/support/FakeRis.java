package org.ofsep.mwl.hl7.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A tiny RIS for the outbound tests: an MLLP server on 127.0.0.1 that records every message it receives and
 * answers with an ACK whose MSA-1 the test chooses per message.
 */
public final class FakeRis implements AutoCloseable {
    private final ServerSocket server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private volatile Function<String, String> ackCode = message -> "AA";
    private volatile boolean closeAfterAck;
    private final Thread acceptor;

    public FakeRis(int port) throws IOException {
        this(port, null);
    }

    /** A RIS listening with TLS when {@code tls} is given. */
    public FakeRis(int port, javax.net.ssl.SSLContext tls) throws IOException {
        server = tls == null ? new ServerSocket() : tls.getServerSocketFactory().createServerSocket();
        server.setReuseAddress(true);
        server.bind(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        acceptor = new Thread(this::acceptLoop, "fake-ris-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Chooses MSA-1 for each message received (default AA). */
    public void answer(Function<String, String> newAckCode) {
        ackCode = newAckCode;
    }

    /** Like RIS interfaces that take one message per connection: close it after each ACK. */
    public void closeAfterEachAck() {
        closeAfterAck = true;
    }

    public List<String> received() {
        return List.copyOf(received);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.add(socket);
                Thread t = new Thread(() -> serve(socket), "fake-ris-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (true) {
                int b;
                while ((b = in.read()) != MllpTestClient.START) {
                    if (b < 0) {
                        return;
                    }
                }
                ByteArrayOutputStream frame = new ByteArrayOutputStream();
                while ((b = in.read()) != MllpTestClient.END) {
                    if (b < 0) {
                        return;
                    }
                    frame.write(b);
                }
                in.read();
                String message = frame.toString(StandardCharsets.UTF_8);
                received.add(message);
                String code = ackCode.apply(message);
                String controlId = MllpTestClient.field(message, "MSH", 10);
                String ack = "MSH|^~\\&|RIS|HOSP|MWLGW||20261125120000||ACK^O01|R" + controlId + "|P|2.3.1\r"
                        + "MSA|" + code + "|" + controlId + (code.equals("AA") ? "" : "|refused by the test RIS")
                        + "\r";
                out.write(MllpTestClient.START);
                out.write(ack.getBytes(StandardCharsets.US_ASCII));
                out.write(MllpTestClient.END);
                out.write(MllpTestClient.CR);
                out.flush();
                if (closeAfterAck) {
                    return;
                }
            }
        } catch (IOException e) {
            // connection closed by the gateway or by close()
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : connections) {
            s.close();
        }
    }
}
