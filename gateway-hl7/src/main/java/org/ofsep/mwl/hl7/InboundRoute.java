package org.ofsep.mwl.hl7;

import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mllp.MllpConstants;

/**
 * The MLLP listener for the RIS: one exchange per frame, answered with an ACK the route builds itself (camel-mllp's
 * auto-ACK is off, and the frame is taken as bytes so that its MSH-18 charset decides how it is decoded).
 *
 * <p>Order of work, so that nothing is lost and nothing is applied twice: answer a duplicate with its earlier ACK;
 * parse; apply the message and keep it in the log with its AA in one transaction; only then AA. Any failure is
 * turned into AE/AR by the route's error handler, which keeps the message in the log with that ACK.
 */
public final class InboundRoute extends RouteBuilder {

    public static final String ROUTE_ID = "hl7-inbound";
    static final String FRAME = "mwlInboundFrame";
    static final String RECEIVED = "mwlReceivedMessage";
    static final String REQUEST = "mwlHl7Request";

    /**
     * Frames above this size are handled one at a time (an order is a few kilobytes). A message needs many times its
     * size in heap while it is decoded, parsed, kept in the log and committed; fifty connections each sending a 1 MB
     * frame at once filled a 512 MB heap. The others wait for their turn; small frames never wait.
     */
    static final int LARGE_FRAME_BYTES = 64 * 1024;

    private final Hl7Settings settings;
    private final InboundMessageHandler handler;
    private final String tlsBean;
    private final java.util.concurrent.Semaphore largeFrames = new java.util.concurrent.Semaphore(1, true);

    /**
     * @param tlsBean registry name of the listener's SSLContextParameters, or null for plain TCP
     */
    public InboundRoute(Hl7Settings settings, InboundMessageHandler handler, String tlsBean) {
        this(settings, handler, tlsBean, remote -> { });
    }

    /** @param framed told the remote address (camel-mllp's) of each connection that sent a whole frame */
    public InboundRoute(Hl7Settings settings, InboundMessageHandler handler, String tlsBean,
                        java.util.function.Consumer<String> framed) {
        this.settings = settings;
        this.handler = handler;
        this.tlsBean = tlsBean;
        this.framed = framed;
    }

    private final java.util.function.Consumer<String> framed;
    /** The connections (camel-mllp remote address) with a message being processed, and how many. */
    private final java.util.Map<String, Integer> busy = new java.util.concurrent.ConcurrentHashMap<>();

    /** Whether the connection has a message being processed now. */
    boolean processing(String remote) {
        return busy.containsKey(remote);
    }

    /** The consumer URI, built from the settings. */
    String endpointUri() {
        StringBuilder uri = new StringBuilder("mllp://").append(settings.bindAddress()).append(':')
                .append(settings.port())
                .append("?autoAck=false&stringPayload=false&hl7Headers=false&validatePayload=false")
                .append("&exchangePattern=InOut")
                .append("&maxConcurrentConsumers=").append(settings.maxConnections())
                .append("&readTimeout=").append(settings.frameTimeout().toMillis())
                .append("&reuseAddress=true")
                // fail start() within seconds when the port is taken, instead of camel-mllp's 30 s of retries
                .append("&bindTimeout=3000&bindRetryInterval=500");
        if (!settings.idleTimeout().isZero()) {
            // CLOSE: a normal FIN, so the peer sees a closed connection (not a reset) and reconnects
            uri.append("&idleTimeout=").append(settings.idleTimeout().toMillis()).append("&idleTimeoutStrategy=CLOSE");
            // camel-mllp checks idleness when a read times out: check often enough to close on time
            uri.append("&receiveTimeout=").append(Math.max(250, Math.min(15_000, settings.idleTimeout().toMillis() / 4)));
        }
        if (tlsBean != null) {
            uri.append("&sslContextParameters=#").append(tlsBean);
        }
        return uri.toString();
    }

    @Override
    public void configure() {
        onException(Throwable.class)
                .handled(true)
                .process(this::answerFailure);

        from(endpointUri()).routeId(ROUTE_ID)
                .process(this::receive)
                .process(this::answerDuplicate)
                .choice()
                    .when(exchangeProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT).isNull())
                        .process(this::parse)
                        .process(this::applyAndAcknowledge)
                .end();
    }

    private void receive(Exchange exchange) throws InterruptedException {
        String remote = exchange.getMessage().getHeader(MllpConstants.MLLP_REMOTE_ADDRESS, String.class);
        if (remote != null) {
            framed.accept(remote);
            busy.merge(remote, 1, Integer::sum);
            // a message being processed is no idle connection: counted again when its exchange is done (a 1 MB
            // order that took longer than the idle time had its connection closed before its ACK)
            exchange.getExchangeExtension().addOnCompletion(new org.apache.camel.support.SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    busy.computeIfPresent(remote, (k, n) -> n <= 1 ? null : n - 1);
                    framed.accept(remote);
                }
            });
        }
        byte[] bytes = exchange.getMessage().getBody(byte[].class);
        if (bytes != null && bytes.length > LARGE_FRAME_BYTES) {
            largeFrames.acquire();
            // released when the exchange is done, whatever its outcome (AA, or the AE/AR of the error handler)
            exchange.getExchangeExtension().addOnCompletion(new org.apache.camel.support.SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    largeFrames.release();
                }
            });
        }
        InboundFrame frame = InboundFrame.decode(bytes == null ? new byte[0] : bytes);
        exchange.setProperty(FRAME, frame);
        exchange.setProperty(RECEIVED, handler.receive(frame));
    }

    /**
     * One message of a sender's control ID at a time, from the duplicate check to its commit: two connections that
     * sent the same control ID at once both passed the check and both got AA, one of them (a different message) not
     * in force. The message in flight holds its (sender, control ID) in this map until its exchange is done, whatever
     * its outcome; another with the same key waits for it (a latch: the completion may run on another thread). Only
     * the same key waits: striped permits made a small message wait for a large one that shared its stripe.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.CountDownLatch> inFlight =
            new java.util.concurrent.ConcurrentHashMap<>();

    private void answerDuplicate(Exchange exchange) throws InterruptedException {
        ReceivedMessage message = exchange.getProperty(RECEIVED, ReceivedMessage.class);
        MshHeader h = message == null ? null : message.header();
        if (h != null && h.controlId() != null) {
            String key = h.sender() + '\u0000' + h.controlId();
            java.util.concurrent.CountDownLatch mine = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch other;
            while ((other = inFlight.putIfAbsent(key, mine)) != null) {
                other.await();
            }
            exchange.getExchangeExtension().addOnCompletion(new org.apache.camel.support.SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    inFlight.remove(key, mine);
                    mine.countDown();
                }
            });
        }
        Optional<Ack> earlier = handler.duplicateAck(message);
        earlier.ifPresent(ack -> setAck(exchange, ack));
    }

    private void parse(Exchange exchange) {
        exchange.setProperty(REQUEST, handler.parse(exchange.getProperty(RECEIVED, ReceivedMessage.class)));
    }

    private void applyAndAcknowledge(Exchange exchange) {
        setAck(exchange, handler.applyAndAccept(exchange.getProperty(RECEIVED, ReceivedMessage.class),
                exchange.getProperty(REQUEST, Hl7Request.class)));
    }

    private void answerFailure(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Ack ack = handler.failed(exchange.getProperty(RECEIVED, ReceivedMessage.class),
                exchange.getProperty(FRAME, InboundFrame.class), failure);
        setAck(exchange, ack);
    }

    private static void setAck(Exchange exchange, Ack ack) {
        exchange.setProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT, ack.bytes());
        exchange.getMessage().setBody(ack.text());
    }
}
