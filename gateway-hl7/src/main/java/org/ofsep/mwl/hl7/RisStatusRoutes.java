package org.ofsep.mwl.hl7;

import java.time.Clock;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mllp.MllpException;
import org.apache.camel.component.mllp.MllpNegativeAcknowledgementException;
import org.ofsep.mwl.core.store.OutboundQueue;
import org.ofsep.mwl.core.store.StatusEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Status messages to the RIS, from the durable outbound queue. A timer polls the queue (only on the instance that
 * holds the lease); each due event is rendered, sent over MLLP and its ACK awaited:
 * <ul>
 * <li>AA: sent, removed from the pending events;</li>
 * <li>AE/AR: the RIS refused it; failed for good (logged), not retried forever;</li>
 * <li>no connection, no ACK in time: retried later with exponential backoff, capped.</li>
 * </ul>
 * The queue returns only the oldest pending event of each order, so an order's messages leave in order: its next
 * event is not due until this one is sent or failed.
 */
public final class RisStatusRoutes extends RouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(RisStatusRoutes.class);

    public static final String POLL_ROUTE_ID = "ris-status-poll";
    public static final String SEND_ROUTE_ID = "ris-status-send";
    private static final String EVENT = "mwlStatusEvent";

    private final Hl7Settings settings;
    private final OutboundQueue queue;
    private final StatusMessageRenderer renderer;
    private final BooleanSupplier amLeader;
    private final Clock clock;
    private final Backoff backoff;
    private final String tlsBean;

    private final Hl7Metrics metrics;

    public RisStatusRoutes(Hl7Settings settings, OutboundQueue queue, StatusMessageRenderer renderer,
                           BooleanSupplier amLeader, Clock clock, String tlsBean, Hl7Metrics metrics) {
        this.metrics = metrics == null ? new Hl7Metrics() : metrics;
        this.settings = settings;
        this.queue = queue;
        this.renderer = renderer;
        this.amLeader = amLeader;
        this.clock = clock;
        this.backoff = new Backoff(settings.ris().backoffInitial(), settings.ris().backoffMax());
        this.tlsBean = tlsBean;
    }

    String producerUri() {
        Hl7Settings.RisOutbound ris = settings.ris();
        StringBuilder uri = new StringBuilder("mllp://").append(ris.host()).append(':').append(ris.port())
                .append("?hl7Headers=false&validatePayload=false&exchangePattern=InOut")
                .append("&connectTimeout=").append(ris.connectTimeout().toMillis())
                .append("&receiveTimeout=").append(ris.ackTimeout().toMillis())
                .append("&readTimeout=").append(ris.ackTimeout().toMillis());
        if (tlsBean != null) {
            uri.append("&sslContextParameters=#").append(tlsBean);
        }
        return uri.toString();
    }

    @Override
    public void configure() {
        onException(MllpNegativeAcknowledgementException.class)
                .handled(true)
                .process(this::refused);
        onException(Exception.class)
                .handled(true)
                .process(this::retryLater);

        long period = Math.max(1, settings.ris().pollInterval().toMillis());
        from("timer:mwl-ris-status?delay=" + period + "&period=" + period).routeId(POLL_ROUTE_ID)
                .filter(exchange -> amLeader.getAsBoolean())
                .process(exchange -> exchange.getMessage()
                        .setBody(queue.due(clock.instant(), settings.ris().batchSize())))
                .split(body())
                    .to("direct:mwl-ris-status-send")
                .end();

        from("direct:mwl-ris-status-send").routeId(SEND_ROUTE_ID)
                .process(this::render)
                .to(producerUri())
                .process(this::sent);
    }

    private void render(Exchange exchange) {
        StatusEvent event = exchange.getMessage().getBody(StatusEvent.class);
        exchange.setProperty(EVENT, event);
        exchange.getMessage().setBody(renderer.render(event).bytes());
    }

    private void sent(Exchange exchange) {
        StatusEvent event = exchange.getProperty(EVENT, StatusEvent.class);
        queue.markSent(event.id());
        metrics.statusSent();
        LOG.info("status {} for order {} sent to the RIS ({})", event.status(), event.placerOrderNumber(),
                StatusMessageRenderer.controlId(event));
    }

    private void refused(Exchange exchange) {
        StatusEvent event = exchange.getProperty(EVENT, StatusEvent.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String refusal = "the RIS refused the status message: " + describe(cause);
        if (event == null) {
            LOG.error("RIS status: {}", refusal);
            return;
        }
        // the RIS's own words (MSA/ERR) go to the queue entry, not to the log: they may quote patient data
        queue.markFailed(event.id(), refusal + risText(cause));
        metrics.statusFailed();
        LOG.error("status {} for order {} ({}): {}; not retried (the RIS's explanation is kept with the event)",
                event.status(), event.placerOrderNumber(), StatusMessageRenderer.controlId(event), refusal);
    }

    private void retryLater(Exchange exchange) {
        StatusEvent event = exchange.getProperty(EVENT, StatusEvent.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (event == null) {
            // the poll itself failed (database unavailable...): the timer tries again at the next tick
            LOG.warn("RIS status: cannot read the outbound queue: {}", describe(cause));
            return;
        }
        Instant next = clock.instant().plus(backoff.delayAfter(event.attempts()));
        String error = "RIS unreachable or no ACK: " + describe(cause);
        queue.markRetry(event.id(), error, next);
        metrics.statusRetried();
        LOG.warn("status {} for order {} ({}): {}; retry at {}", event.status(), event.placerOrderNumber(),
                StatusMessageRenderer.controlId(event), error, next);
    }

    /** MSA-1 and the RIS's own explanation (MSA-3, ERR) from its ACK, when it gave one. */
    private static String risText(Throwable t) {
        if (!(t instanceof MllpException e) || !e.hasHl7AcknowledgementBytes()) {
            return "";
        }
        String ack = new String(e.getHl7AcknowledgementBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        StringBuilder out = new StringBuilder();
        for (String segment : ack.split("[\r\n]+")) {
            if (segment.startsWith("MSA") || segment.startsWith("ERR")) {
                out.append(out.length() == 0 ? " (" : "; ").append(segment);
            }
        }
        return out.length() == 0 ? "" : out.append(')').toString();
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = t.getMessage();
        String rootMsg = root == t ? null : root.getClass().getSimpleName() + ": " + root.getMessage();
        return t.getClass().getSimpleName() + (msg == null ? "" : ": " + firstLine(msg))
                + (rootMsg == null ? "" : " (" + firstLine(rootMsg) + ")");
    }

    private static String firstLine(String s) {
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
