package org.ofsep.mwl.app.priors;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/** A TCP relay to a peer that holds every connection until {@link #open()}: a PACS that answers late, on cue. */
final class TcpGate implements AutoCloseable {
    private final ServerSocket server;
    private final CountDownLatch gate = new CountDownLatch(1);
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile int accepted;

    TcpGate(int targetPort) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    Socket in = server.accept();
                    accepted++;
                    sockets.add(in);
                    Thread h = new Thread(() -> relay(in, targetPort));
                    h.setDaemon(true);
                    h.start();
                }
            } catch (IOException e) {
                // closed
            }
        }, "tcp-gate");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far (a lookup that reached the gate). */
    int accepted() {
        return accepted;
    }

    void open() {
        gate.countDown();
    }

    private void relay(Socket in, int targetPort) {
        try {
            gate.await();
            Socket out = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            sockets.add(out);
            pump(in.getInputStream(), out.getOutputStream());
            pump(out.getInputStream(), in.getOutputStream());
        } catch (Exception e) {
            // peer gone
        }
    }

    private static void pump(InputStream from, OutputStream to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = from.read(buf)) > 0) {
                    to.write(buf, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                // closed
            }
        });
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
