package org.ofsep.mwl.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * HL7 load generator: sends messages over {@code connections} plain MLLP sockets (VT message FS CR), each
 * connection waiting for the ACK of a message before it sends the next (as a RIS does), and measures the time
 * from the last byte sent to the whole ACK received. With {@code ratePerSecond > 0} the messages are released on
 * a fixed schedule (message i at start + i / rate) and latency is measured from the scheduled instant, so a slow
 * answer also counts the wait it causes for the next ones (no coordinated omission).
 */
public final class MllpLoad {
    private static final int VT = 0x0B;
    private static final int FS = 0x1C;
    private static final int CR = 0x0D;

    /** Outcome of one load phase. */
    public record Result(int connections, double ratePerSecondAsked, int sent, int accepted, int notAccepted,
                         double seconds, double ordersPerSecond, Percentiles ackLatency, String firstError) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("connections", connections);
            if (ratePerSecondAsked > 0) {
                m.put("paced_rate_per_s", ratePerSecondAsked);
            }
            m.put("orders", sent);
            m.put("acked_AA", accepted);
            m.put("not_AA", notAccepted);
            m.put("seconds", Percentiles.round(seconds));
            m.put("orders_per_s", Math.round(ordersPerSecond * 10) / 10.0);
            m.put("ack_latency", ackLatency.toMap());
            if (firstError != null) {
                m.put("first_error", firstError);
            }
            return m;
        }
    }

    private MllpLoad() {
    }

    public static Result run(String host, int port, List<String> messages, int connections, double ratePerSecond)
            throws Exception {
        int n = messages.size();
        long[] latency = new long[n];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        List<Socket> sockets = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setTcpNoDelay(true);
            s.setSoTimeout(60_000);
            sockets.add(s);
        }
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (Socket socket : sockets) {
            Thread t = new Thread(() -> {
                try (socket) {
                    OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 8192);
                    InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
                    int i;
                    while ((i = next.getAndIncrement()) < n) {
                        long due = ratePerSecond > 0 ? start + (long) (i * 1e9 / ratePerSecond) : 0;
                        if (due > 0) {
                            long wait;
                            while ((wait = due - System.nanoTime()) > 0) {
                                LockSupport.parkNanos(wait);
                            }
                        }
                        out.write(VT);
                        out.write(messages.get(i).getBytes(StandardCharsets.UTF_8));
                        out.write(FS);
                        out.write(CR);
                        out.flush();
                        long sent = System.nanoTime();
                        String ack = readFrame(in);
                        long now = System.nanoTime();
                        latency[i] = now - (due > 0 ? Math.min(due, sent) : sent);
                        done.incrementAndGet();
                        if ("AA".equals(msa1(ack))) {
                            accepted.incrementAndGet();
                        } else {
                            firstError.compareAndSet(null, "message " + i + ": " + ack.replace('\r', '\n'));
                        }
                    }
                } catch (IOException e) {
                    firstError.compareAndSet(null, e.toString());
                }
            }, "mllp-load-" + threads.size());
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int sent = done.get();
        return new Result(connections, ratePerSecond, sent, accepted.get(), sent - accepted.get(), seconds,
                sent / seconds, Percentiles.of(compact(latency, sent, n), sent), firstError.get());
    }

    private static long[] compact(long[] latency, int count, int n) {
        if (count == n) {
            return latency;
        }
        long[] out = new long[count];
        int j = 0;
        for (int i = 0; i < n && j < count; i++) {
            if (latency[i] > 0) {
                out[j++] = latency[i];
            }
        }
        return out;
    }

    private static String readFrame(InputStream in) throws IOException {
        int b;
        while ((b = in.read()) != VT) {
            if (b < 0) {
                throw new IOException("connection closed before an ACK");
            }
        }
        ByteArrayOutputStream frame = new ByteArrayOutputStream(256);
        while ((b = in.read()) != FS) {
            if (b < 0) {
                throw new IOException("connection closed inside an ACK frame");
            }
            frame.write(b);
        }
        if (in.read() != CR) {
            throw new IOException("ACK frame not ended by FS CR");
        }
        return frame.toString(StandardCharsets.UTF_8);
    }

    static String msa1(String ack) {
        for (String seg : ack.split("\r")) {
            if (seg.startsWith("MSA|")) {
                String[] f = seg.split("\\|", -1);
                return f.length > 1 ? f[1] : "";
            }
        }
        return "";
    }
}
