package org.ofsep.mwl.hl7;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.component.mllp.MllpTcpServerConsumer;
import org.apache.camel.impl.DefaultCamelContext;
import org.ofsep.mwl.core.order.OrderService;
import org.ofsep.mwl.core.store.MessageLog;
import org.ofsep.mwl.core.store.OutboundQueue;
import org.ofsep.mwl.core.store.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HL7 interface of the gateway, as the application wires it: the MLLP listener for orders and patient updates
 * from the RIS, and the sender of status messages back to the RIS. Owns its CamelContext.
 *
 * <pre>
 * Hl7Gateway hl7 = new Hl7Gateway(settings, orderService, messageLog, database, outboundQueue, lease::isLeader,
 *         clock);
 * hl7.start();   // binds the port; throws when it cannot
 * ...
 * hl7.stop();    // closes connections, stops polling
 * </pre>
 */
public final class Hl7Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Hl7Gateway.class);
    private static final String LISTENER_TLS = "mwlHl7ListenerTls";
    private static final String RIS_TLS = "mwlHl7RisTls";

    private final Hl7Settings settings;
    private final OutboundQueue outboundQueue;
    private final BooleanSupplier amLeader;
    private final Clock clock;
    private final InboundMessageHandler handler;
    private final MessageReplayer replayer;
    private final AckFactory acks;
    private final Hl7Metrics metrics = new Hl7Metrics();
    private CamelContext camel;
    private java.util.concurrent.ScheduledExecutorService watcher;
    private volatile boolean atLimit;
    private final java.util.concurrent.atomic.AtomicLong limitReached = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param transactions the database behind {@code orders} and {@code messageLog}: an order and its log row are
     *                     committed together
     * @param amLeader     true when this instance may send status messages (a database lease when several
     *                     instances share one database); checked before every poll
     */
    public Hl7Gateway(Hl7Settings settings, OrderService orders, MessageLog messageLog, Transactions transactions,
                      OutboundQueue outboundQueue, BooleanSupplier amLeader, Clock clock) {
        this.settings = settings;
        this.outboundQueue = outboundQueue;
        this.amLeader = amLeader == null ? () -> true : amLeader;
        this.clock = clock == null ? Clock.systemDefaultZone() : clock;
        this.acks = new AckFactory(this.clock, settings.application(), settings.facility());
        this.handler = new InboundMessageHandler(orders, messageLog, transactions, acks, metrics,
                this.clock.getZone(), settings.processingIds());
        this.replayer = new MessageReplayer(messageLog, handler);
    }

    /** Stores that commit each call on their own (test doubles). */
    public Hl7Gateway(Hl7Settings settings, OrderService orders, MessageLog messageLog, OutboundQueue outboundQueue,
                      BooleanSupplier amLeader, Clock clock) {
        this(settings, orders, messageLog, Transactions.SEPARATE, outboundQueue, amLeader, clock);
    }

    /** Single instance: always the sender, system clock. */
    public Hl7Gateway(Hl7Settings settings, OrderService orders, MessageLog messageLog, OutboundQueue outboundQueue) {
        this(settings, orders, messageLog, outboundQueue, () -> true, Clock.systemDefaultZone());
    }

    /** See {@link InboundMessageHandler#loggedOrder}: a logged order message parsed again as at intake. */
    public org.ofsep.mwl.core.order.OrderMessage loggedOrder(String raw) {
        return handler.loggedOrder(raw);
    }

    /** See {@link InboundMessageHandler#afterCommit}: e.g. the PACS prior lookup of each committed order. */
    public void afterCommit(java.util.function.Consumer<org.ofsep.mwl.core.order.OrderMessage> listener) {
        handler.afterCommit(listener);
    }

    public synchronized void start() throws Exception {
        if (camel != null) {
            return;
        }
        DefaultCamelContext context = new DefaultCamelContext();
        context.getCamelContextExtension().setName("mwl-hl7");
        // No patient data in logs: logPhi=false keeps payloads out of camel-mllp's exception messages, but its
        // WARN lines about out-of-band data and broken frames print bytes regardless, capped only by
        // logPhiMaxBytes (0 = unlimited), so the cap is one byte.
        // pipelined frames are processed in order, never dropped; frames over the largest accepted are refused
        MllpComponent mllp = new PipelinedMllpComponent(settings.maxMessageBytes());
        mllp.setLogPhi(false);
        mllp.setLogPhiMaxBytes(1);
        context.addComponent("mllp", mllp);
        context.getShutdownStrategy().setTimeout(5);
        context.getShutdownStrategy().setTimeUnit(TimeUnit.SECONDS);
        context.getShutdownStrategy().setSuppressLoggingOnTimeout(true);
        String listenerTls = null;
        if (settings.tls().enabled()) {
            context.getRegistry().bind(LISTENER_TLS, MllpTls.server(settings.tls()));
            listenerTls = LISTENER_TLS;
        }
        InboundRoute inbound = new InboundRoute(settings, handler, listenerTls,
                remote -> lastFrame.put(remote, System.nanoTime()));
        route = inbound;
        context.addRoutes(inbound);
        if (settings.ris().enabled()) {
            String risTls = null;
            if (settings.ris().tls()) {
                context.getRegistry().bind(RIS_TLS, MllpTls.client(settings.tls()));
                risTls = RIS_TLS;
            }
            context.addRoutes(new RisStatusRoutes(settings, outboundQueue,
                    new StatusMessageRenderer(settings, clock), amLeader, clock, risTls, metrics));
        }
        try {
            context.start();
        } catch (Exception e) {
            context.stop();
            throw e;
        }
        camel = context;
        watcher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hl7-connections");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(this::watchConnections, 250, 250, TimeUnit.MILLISECONDS);
        LOG.info("HL7 MLLP listener on {}:{}{}; status to RIS {}", settings.bindAddress(), settings.port(),
                settings.tls().enabled() ? " (TLS)" : "",
                settings.ris().enabled() ? settings.ris().host() + ":" + settings.ris().port() + " as "
                        + settings.ris().messageType() : "disabled");
    }

    public synchronized void stop() {
        if (camel == null) {
            return;
        }
        if (watcher != null) {
            watcher.shutdownNow();
            watcher = null;
        }
        try {
            camel.stop();
        } finally {
            camel = null;
        }
        LOG.info("HL7 interface stopped");
    }

    @Override
    public void close() {
        stop();
    }

    /** MLLP connections open on the listener (each holds one of {@code maxConnections}). */
    public int connectionsOpen() {
        CamelContext c = camel;
        if (c == null || c.getRoute(InboundRoute.ROUTE_ID) == null) {
            return 0;
        }
        if (!(c.getRoute(InboundRoute.ROUTE_ID).getConsumer() instanceof MllpTcpServerConsumer consumer)) {
            return 0;
        }
        // camel-mllp keeps the entry of a connection it closed at once (beyond maxConnections) in its map for ever:
        // counted, they made the gauge grow by one per refused connection and held the limit WARN "in use" after
        // every connection had gone; only open sockets are connections, and the closed entries are dropped
        int open = 0;
        var runnables = consumer.getConsumerRunnables();
        for (var r : List.copyOf(runnables.keySet())) {
            java.net.Socket socket = r.getSocket();
            if (socket != null && !socket.isClosed()) {
                open++;
            } else {
                runnables.remove(r);
                if (r.getRemoteAddress() != null) {
                    lastFrame.remove(r.getRemoteAddress());
                }
            }
        }
        return open;
    }

    private volatile InboundRoute route;

    /** When each connection (camel-mllp's remote address) last sent a whole frame, or was first seen (nanoTime). */
    private final java.util.Map<String, Long> lastFrame = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Closes the connections that sent no whole frame for {@code hl7.idleTimeoutSeconds}: camel-mllp's own idle
     * timer restarts at any byte, so a peer sending a byte outside any frame every few seconds held its connection
     * (and, fifty such, every connection: the RIS kept out) for ever.
     */
    private void closeFramelessConnections() {
        CamelContext c = camel;
        if (c == null || c.getRoute(InboundRoute.ROUTE_ID) == null
                || !(c.getRoute(InboundRoute.ROUTE_ID).getConsumer() instanceof MllpTcpServerConsumer consumer)) {
            return;
        }
        if (settings.idleTimeout().isZero() || settings.idleTimeout().isNegative()) {
            return; // hl7.idleTimeoutSeconds: 0, never
        }
        long now = System.nanoTime();
        long limit = settings.idleTimeout().toNanos();
        java.util.Set<String> live = new java.util.HashSet<>();
        for (var r : List.copyOf(consumer.getConsumerRunnables().keySet())) {
            java.net.Socket socket = r.getSocket();
            String remote = r.getRemoteAddress();
            if (socket == null || socket.isClosed() || remote == null) {
                continue;
            }
            live.add(remote);
            long since = lastFrame.computeIfAbsent(remote, k -> now);
            InboundRoute r0 = route;
            if (now - since > limit && (r0 == null || !r0.processing(remote))) {
                lastFrame.remove(remote);
                LOG.warn("HL7: connection from {} closed: no whole message for {} s (hl7.idleTimeoutSeconds)", remote,
                        settings.idleTimeout().toSeconds());
                r.closeSocket("no whole HL7 message for " + settings.idleTimeout().toSeconds() + " s");
            }
        }
        // the connections camel-mllp ended itself are no longer in its map: forgotten here too (a RIS that connects
        // for each message would otherwise leave an entry per connection)
        lastFrame.keySet().retainAll(live);
    }

    /** How many times every MLLP connection was in use since start (new connections were then closed). */
    public long connectionLimitReached() {
        return limitReached.get();
    }

    /**
     * camel-mllp closes a connection beyond maxConcurrentConsumers at once and says so only in its own log (kept at
     * ERROR, it may print payload bytes): this says it at WARN, once each time the limit is reached.
     */
    private void watchConnections() {
        try {
            closeFramelessConnections();
            int open = connectionsOpen();
            if (open >= settings.maxConnections()) {
                if (!atLimit) {
                    atLimit = true;
                    limitReached.incrementAndGet();
                    LOG.warn("HL7: all {} MLLP connections are in use (hl7.maxConnections): new connections are closed "
                            + "at once until one ends; connections without a message for {} s are closed "
                            + "(hl7.idleTimeoutSeconds)", settings.maxConnections(), settings.idleTimeout().toSeconds());
                }
            } else if (atLimit && open < settings.maxConnections()) {
                atLimit = false;
                LOG.info("HL7: MLLP connections below the limit again ({} of {} in use)", open, settings.maxConnections());
            }
        } catch (RuntimeException e) {
            LOG.debug("HL7 connection watch: {}", e.toString());
        }
    }

    public synchronized boolean isRunning() {
        return camel != null && camel.isStarted();
    }

    /** Re-runs logged messages (CLI: gateway replay ID). Usable without start(). */
    public MessageReplayer replayer() {
        return replayer;
    }

    /** Counters for health and metrics. */
    public Hl7Metrics metrics() {
        return metrics;
    }

    public Hl7Settings settings() {
        return settings;
    }
}
