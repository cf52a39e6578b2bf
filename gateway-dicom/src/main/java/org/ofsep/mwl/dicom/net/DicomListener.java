package org.ofsep.mwl.dicom.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.ofsep.mwl.dicom.acse.AcceptorPolicy;
import org.ofsep.mwl.dicom.acse.CallingPeers;
import org.ofsep.mwl.dicom.dul.UpperLayerProvider;
import org.ofsep.mwl.dicom.dul.UpperLayerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts TCP (or TLS) connections and runs one {@link AssociationHandler} per connection.
 *
 * <p>A connection that has not yet sent its A-ASSOCIATE-RQ holds no association slot: it only has a reader
 * thread, and the ARTIM timer closes it when the request does not arrive in time (PS3.8 9.1.5). At most
 * {@code maxPendingConnections} such connections are kept; beyond that the oldest is closed, so a flood of silent
 * or dribbling connections cannot keep a console that sends its request at once from being read.
 *
 * <p>Once a request is read and the acceptor policy accepts it, the association needs one of the
 * {@code maxAssociations} slots (one worker thread each). When all are busy the request waits, first come first
 * served, at most {@code associationWait} (within the ARTIM time), then it is rejected (rejected-transient,
 * service-provider presentation, local-limit-exceeded). Requests the policy refuses are rejected at once.
 */
public final class DicomListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DicomListener.class);

    /** Everything the listener needs, built by the {@code DicomServer} façade. */
    public record Config(String bindAddress, int port, int maxAssociations, UpperLayerSettings upperLayer,
                         long maxDataSetLength, SSLContext tls, boolean requireClientCertificate,
                         int maxPendingConnections, Duration associationWait) {
    }

    /** What the listener reports (the gateway turns it into metrics). */
    public interface Observer {
        /** An association request got a slot ({@code granted}) or was refused after waiting {@code waited}. */
        default void slotRequested(Duration waited, boolean granted) {
        }

        /** An unassociated connection was closed to make room for a new one. */
        default void pendingEvicted() {
        }

        Observer NONE = new Observer() {
        };
    }

    private final Config config;
    private final CallingPeers peers;
    private final AcceptorPolicy policy;
    private final Map<String, DimseService> services;
    private final Observer observer;
    private final Semaphore permits;
    /** One reader thread per connection; their number is bounded by pending + waiting + active (see above). */
    private final ExecutorService readers;
    private final ExecutorService workers;
    private final ScheduledExecutorService timers;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong evicted = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Connections that have not sent their A-ASSOCIATE-RQ yet, oldest first. */
    private final java.util.Deque<Socket> pending = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private ServerSocket serverSocket;
    private Thread acceptThread;
    private volatile boolean stopping;

    public DicomListener(Config config, CallingPeers peers, AcceptorPolicy policy, Map<String, DimseService> services) {
        this(config, peers, policy, services, Observer.NONE);
    }

    public DicomListener(Config config, CallingPeers peers, AcceptorPolicy policy, Map<String, DimseService> services,
                         Observer observer) {
        this.config = config;
        this.peers = peers;
        this.policy = policy;
        this.services = Map.copyOf(services);
        this.observer = observer == null ? Observer.NONE : observer;
        this.permits = new Semaphore(config.maxAssociations(), true);
        this.readers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                named("dicom-conn"));
        this.workers = Executors.newFixedThreadPool(2 * config.maxAssociations(), named("dicom-assoc"));
        this.timers = UpperLayerProvider.timerExecutor(named("dicom-timer"));
    }

    public synchronized void start() throws IOException {
        ServerSocket ss = config.tls() == null ? new ServerSocket() : config.tls().getServerSocketFactory().createServerSocket();
        if (ss instanceof SSLServerSocket ssl) {
            ssl.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            ssl.setNeedClientAuth(config.requireClientCertificate());
        }
        ss.setReuseAddress(true);
        InetAddress bind = config.bindAddress() == null || config.bindAddress().isBlank() ? null : InetAddress.getByName(config.bindAddress());
        ss.bind(new InetSocketAddress(bind, config.port()), 128);
        serverSocket = ss;
        acceptThread = new Thread(this::acceptLoop, "dicom-accept-" + ss.getLocalPort());
        acceptThread.setDaemon(true);
        acceptThread.start();
    }

    public int port() {
        return serverSocket == null ? -1 : serverSocket.getLocalPort();
    }

    /** Associations holding a slot. */
    public int activeAssociations() {
        return active.get();
    }

    /** Connections that have not sent their A-ASSOCIATE-RQ yet (they hold no slot). */
    public int pendingConnections() {
        return pending.size();
    }

    /** Association requests waiting for a free slot. */
    public int waitingAssociations() {
        return waiting.get();
    }

    /** Unassociated connections closed to make room since start. */
    public long evictedConnections() {
        return evicted.get();
    }

    /** Association requests refused for want of a slot since start. */
    public long refusedAssociations() {
        return refused.get();
    }

    private void acceptLoop() {
        while (!stopping) {
            Socket s;
            try {
                s = serverSocket.accept();
            } catch (IOException e) {
                if (!stopping) {
                    LOG.warn("DICOM accept failed: {}", e.toString());
                }
                continue;
            }
            try {
                s.setTcpNoDelay(true);
            } catch (SocketException e) {
                LOG.debug("TCP_NODELAY: {}", e.toString());
            }
            while (pending.size() >= config.maxPendingConnections()) {
                Socket oldest = pending.pollFirst();
                if (oldest == null) {
                    break;
                }
                long n = evicted.incrementAndGet();
                observer.pendingEvicted();
                if (n == 1 || n % 100 == 0) {
                    LOG.warn("DICOM: {} connections have not sent an A-ASSOCIATE-RQ (dicom.maxPendingConnections); "
                            + "closing the oldest, from {} ({} closed so far)", config.maxPendingConnections(),
                            oldest.getInetAddress().getHostAddress(), n);
                }
                closeQuietly(oldest);
            }
            open.add(s);
            pending.addLast(s);
            try {
                readers.execute(() -> serve(s));
            } catch (RejectedExecutionException e) {
                pending.remove(s);
                open.remove(s);
                closeQuietly(s);
            }
        }
    }

    private void serve(Socket s) {
        Slot slot = new Slot(s);
        try {
            AssociationHandler handler = new AssociationHandler(s, config.upperLayer(), config.maxDataSetLength(), peers,
                    policy, services, timers, workers, slot);
            handler.run();
            handler.awaitWorker(config.upperLayer().idleTimeout());
        } catch (IOException | RuntimeException e) {
            LOG.warn("DICOM connection from {} failed: {}", s.getInetAddress().getHostAddress(), e.toString());
            closeQuietly(s);
        } finally {
            pending.remove(s);
            open.remove(s);
            slot.release();
        }
    }

    /** The association slot of one connection, taken once its request is accepted by the policy. */
    final class Slot implements AssociationHandler.Slots {
        private final Socket socket;
        private boolean held;

        Slot(Socket socket) {
            this.socket = socket;
        }

        @Override
        public void requestReceived() {
            pending.remove(socket);
        }

        @Override
        public boolean acquire(String who) {
            long start = System.nanoTime();
            long deadline = start + config.associationWait().toNanos();
            if (waiting.incrementAndGet() > config.maxPendingConnections()) {
                // as many requests already wait as unassociated connections may exist: refused at once
                deadline = start;
            }
            try {
                while (true) {
                    long left = deadline - System.nanoTime();
                    if (permits.tryAcquire(Math.max(0, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100))), TimeUnit.NANOSECONDS)) {
                        held = true;
                        active.incrementAndGet();
                        Duration waited = Duration.ofNanos(System.nanoTime() - start);
                        observer.slotRequested(waited, true);
                        if (waited.toMillis() >= 100) {
                            LOG.info("Association {} waited {} ms for a free slot", who, waited.toMillis());
                        }
                        return true;
                    }
                    if (left <= 0 || stopping || socket.isClosed()) {
                        break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                waiting.decrementAndGet();
            }
            refused.incrementAndGet();
            observer.slotRequested(Duration.ofNanos(System.nanoTime() - start), false);
            LOG.warn("Association {} rejected: {} associations active and none freed within {} ms "
                    + "(transient, local limit exceeded; dicom.maxAssociations)", who, config.maxAssociations(),
                    config.associationWait().toMillis());
            return false;
        }

        void release() {
            if (held) {
                held = false;
                active.decrementAndGet();
                permits.release();
            }
        }
    }

    @Override
    public synchronized void close() {
        stopping = true;
        closeQuietly(serverSocket);
        for (Socket s : open) {
            closeQuietly(s);
        }
        // Workers end on their own once their sockets are closed (above). Interrupting one in the middle of a
        // store call would close an embedded H2 database (an interrupted file operation closes its file), so
        // they get a moment to finish first.
        workers.shutdown();
        readers.shutdown();
        timers.shutdownNow();
        try {
            if (!workers.awaitTermination(3, java.util.concurrent.TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        if (acceptThread != null) {
            try {
                acceptThread.join(Duration.ofSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
