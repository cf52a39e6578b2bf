package org.ofsep.mwl.app.priors;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay to a DICOM PACS that answers every SERIES level C-FIND late: once the gateway's request carrying
 * Query/Retrieve Level {@code SERIES} has passed, what the PACS sends back is held until {@code delayMillis} after
 * that request. The association and the STUDY level answer pass at once. Each answer stays within a per-step
 * timeout; several of them together do not.
 */
final class SlowSeriesRelay implements AutoCloseable {
    private static final byte[] SERIES = "SERIES".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final long delayMillis;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    SlowSeriesRelay(int targetPort, long delayMillis) throws IOException {
        this.delayMillis = delayMillis;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    Socket in = server.accept();
                    sockets.add(in);
                    Socket out = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    sockets.add(out);
                    long[] seriesAskedAt = {0};
                    pump(in.getInputStream(), out.getOutputStream(), seriesAskedAt, true);
                    pump(out.getInputStream(), in.getOutputStream(), seriesAskedAt, false);
                }
            } catch (IOException e) {
                // closed
            }
        }, "slow-series-relay");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void pump(InputStream from, OutputStream to, long[] seriesAskedAt, boolean request) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[65536];
            try {
                int n;
                while ((n = from.read(buf)) > 0) {
                    if (request) {
                        if (contains(buf, n, SERIES)) {
                            synchronized (seriesAskedAt) {
                                seriesAskedAt[0] = System.currentTimeMillis();
                            }
                        }
                    } else {
                        long asked;
                        synchronized (seriesAskedAt) {
                            asked = seriesAskedAt[0];
                        }
                        long wait = asked == 0 ? 0 : asked + delayMillis - System.currentTimeMillis();
                        if (wait > 0) {
                            Thread.sleep(wait);
                        }
                    }
                    to.write(buf, 0, n);
                    to.flush();
                }
            } catch (IOException | InterruptedException e) {
                // closed
            }
        });
        t.setDaemon(true);
        t.start();
    }

    private static boolean contains(byte[] buf, int n, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= n; i++) {
            for (int j = 0; j < what.length; j++) {
                if (buf[i + j] != what[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
