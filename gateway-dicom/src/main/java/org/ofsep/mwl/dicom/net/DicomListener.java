package org.ofsep.mwl.dicom.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
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
import org.ofsep.mwl.dicom.dul.UpperLayerUser;
import org.ofsep.mwl.dicom.pdu.Abort;
import org.ofsep.mwl.dicom.pdu.AssociateRj;
import org.ofsep.mwl.dicom.pdu.AssociateRq;
import org.ofsep.mwl.dicom.pdu.PDataTf;
import org.ofsep.mwl.dicom.service.DimseService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts TCP (or TLS) connections and runs one {@link AssociationHandler} per connection on a bounded pool:
 * at most {@code maxAssociations} at a time, each using one reader and one worker thread. A connection beyond
 * the limit is answered by a small separate pool with A-ASSOCIATE-RJ (rejected-transient, service-provider
 * presentation, local-limit-exceeded); when that pool is busy too the connection is simply closed. So no peer,
 * hostile or broken, can make the server start more threads than configured.
 */
public final class DicomListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DicomListener.class);
    private static final int REJECTERS = 2;

    /** Everything the listener needs, built by the {@code DicomServer} façade. */
    public record Config(String bindAddress, int port, int maxAssociations, UpperLayerSettings upperLayer,
                         long maxDataSetLength, SSLContext tls, boolean requireClientCertificate) {
    }

    private final Config config;
    private final CallingPeers peers;
    private final AcceptorPolicy policy;
    private final Map<String, DimseService> services;
    private final Semaphore permits;
    private final ExecutorService pool;
    private final ThreadPoolExecutor rejecters;
    private final ScheduledExecutorService timers;
    private final AtomicInteger active = new AtomicInteger();
    private final java.util.Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private ServerSocket serverSocket;
    private Thread acceptThread;
    private volatile boolean stopping;

    public DicomListener(Config config, CallingPeers peers, AcceptorPolicy policy, Map<String, DimseService> services) {
        this.config = config;
        this.peers = peers;
        this.policy = policy;
        this.services = Map.copyOf(services);
        this.permits = new Semaphore(config.maxAssociations());
        this.pool = Executors.newFixedThreadPool(2 * config.maxAssociations(), named("dicom-assoc"));
        this.rejecters = new ThreadPoolExecutor(REJECTERS, REJECTERS, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(REJECTERS * 4), named("dicom-reject"), new ThreadPoolExecutor.AbortPolicy());
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
        ss.bind(new InetSocketAddress(bind, config.port()), 64);
        serverSocket = ss;
        acceptThread = new Thread(this::acceptLoop, "dicom-accept-" + ss.getLocalPort());
        acceptThread.setDaemon(true);
        acceptThread.start();
    }

    public int port() {
        return serverSocket == null ? -1 : serverSocket.getLocalPort();
    }

    public int activeAssociations() {
        return active.get();
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
            open.add(s);
            try {
                s.setTcpNoDelay(true);
            } catch (SocketException e) {
                LOG.debug("TCP_NODELAY: {}", e.toString());
            }
            if (permits.tryAcquire()) {
                active.incrementAndGet();
                try {
                    pool.execute(() -> serve(s));
                } catch (RejectedExecutionException e) {
                    open.remove(s);
                    release();
                    closeQuietly(s);
                }
            } else {
                try {
                    rejecters.execute(() -> rejectBusy(s));
                } catch (RejectedExecutionException e) {
                    open.remove(s);
                    LOG.info("DICOM connection from {} closed: association limit reached and reject queue full",
                            s.getInetAddress().getHostAddress());
                    closeQuietly(s);
                }
            }
        }
    }

    private void serve(Socket s) {
        try {
            AssociationHandler handler = new AssociationHandler(s, config.upperLayer(), config.maxDataSetLength(), peers,
                    policy, services, timers, pool);
            handler.run();
            handler.awaitWorker(config.upperLayer().idleTimeout());
        } catch (IOException | RuntimeException e) {
            LOG.warn("DICOM connection from {} failed: {}", s.getInetAddress().getHostAddress(), e.toString());
            closeQuietly(s);
        } finally {
            open.remove(s);
            release();
        }
    }

    private void release() {
        active.decrementAndGet();
        permits.release();
    }

    /** Reads the A-ASSOCIATE-RQ of a connection beyond the limit and rejects it, transient, local limit exceeded. */
    private void rejectBusy(Socket s) {
        String peer = s.getInetAddress().getHostAddress();
        try {
            UpperLayerProvider[] ul = new UpperLayerProvider[1];
            ul[0] = new UpperLayerProvider("busy " + peer, s, config.upperLayer(), new UpperLayerUser() {
                @Override
                public void associateIndication(AssociateRq rq) {
                    LOG.info("Association {}@{} -> {} rejected: {} associations already active (transient, local limit exceeded)",
                            rq.callingAeTitle(), peer, rq.calledAeTitle(), config.maxAssociations());
                    ul[0].reject(new AssociateRj(AssociateRj.RESULT_TRANSIENT, AssociateRj.SOURCE_PROVIDER_PRESENTATION,
                            AssociateRj.REASON_LOCAL_LIMIT_EXCEEDED));
                }

                @Override
                public void pData(PDataTf pdu) {
                }

                @Override
                public void releaseIndication() {
                }

                @Override
                public void aborted(Abort abort, String why) {
                }
            }, timers);
            ul[0].connectionAccepted();
            ul[0].run();
        } catch (IOException | RuntimeException e) {
            LOG.debug("busy reject of {} failed: {}", peer, e.toString());
            closeQuietly(s);
        } finally {
            open.remove(s);
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
        pool.shutdown();
        rejecters.shutdownNow();
        timers.shutdownNow();
        try {
            if (!pool.awaitTermination(3, java.util.concurrent.TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
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
