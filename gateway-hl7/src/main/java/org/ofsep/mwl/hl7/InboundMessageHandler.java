package org.ofsep.mwl.hl7;

import java.util.Optional;
import org.ofsep.mwl.core.order.OrderRejectedException;
import org.ofsep.mwl.core.order.OrderService;
import org.ofsep.mwl.core.store.LoggedMessage;
import org.ofsep.mwl.core.store.MessageLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of handling one inbound message, in the order the route runs them: keep it in the message log, answer
 * a duplicate with its earlier ACK, check its charset, parse it, apply it in one transaction, then acknowledge. The
 * Camel route and the {@link MessageReplayer} both use these steps; failures of any step become an ACK through
 * {@link #failed}.
 *
 * <p>Logs carry message types, control IDs and outcomes; never patient data at INFO or above.
 */
public final class InboundMessageHandler {
    private static final Logger LOG = LoggerFactory.getLogger(InboundMessageHandler.class);

    private final OrderService orders;
    private final MessageLog messageLog;
    private final AckFactory acks;
    private final MessageParser parser = new MessageParser();
    private final Hl7Metrics metrics;

    public InboundMessageHandler(OrderService orders, MessageLog messageLog, AckFactory acks, Hl7Metrics metrics) {
        this.orders = orders;
        this.messageLog = messageLog;
        this.acks = acks;
        this.metrics = metrics == null ? new Hl7Metrics() : metrics;
    }

    public InboundMessageHandler(OrderService orders, MessageLog messageLog, AckFactory acks) {
        this(orders, messageLog, acks, null);
    }

    /** Stores the message as it arrived, before anything else, so that bad input is kept. */
    public ReceivedMessage receive(InboundFrame frame) {
        MshHeader h = frame.header();
        metrics.received();
        long id = messageLog.received(h.present() ? h.sender() : null, h.controlId(), h.messageType(), frame.text());
        LOG.debug("HL7 message #{} received: {} control ID {}", id, h.messageType(), h.controlId());
        return new ReceivedMessage(id, frame);
    }

    /**
     * When the same sender already sent this control ID and it was accepted, the earlier ACK again (nothing is
     * applied twice); the duplicate is logged with that ACK. A message answered AE/AR before is processed again:
     * nothing of it was stored, and the RIS may resend once the cause is fixed. (The log returns the latest answer;
     * once a control ID was accepted every later copy is answered AA as a duplicate, so the latest stays AA.)
     */
    public Optional<Ack> duplicateAck(ReceivedMessage message) {
        MshHeader h = message.header();
        if (h.controlId() == null) {
            return Optional.empty();
        }
        Optional<LoggedMessage> earlier = messageLog.findAnswered(h.sender(), h.controlId())
                .filter(m -> m.id() != message.logId())
                .filter(m -> "AA".equals(m.ackCode()) && m.ack() != null);
        if (earlier.isEmpty()) {
            return Optional.empty();
        }
        LoggedMessage first = earlier.get();
        Ack ack = new Ack(first.ackCode(), first.ack(), message.frame().ackCharset(), null);
        messageLog.completed(message.logId(), ack.code(), ack.text(), "duplicate of message #" + first.id());
        metrics.duplicate();
        metrics.answered(ack.code());
        LOG.info("HL7 {} control ID {} from {} is a duplicate of message #{}: same ACK sent again, nothing applied",
                h.messageType(), h.controlId(), h.sender(), first.id());
        return Optional.of(ack);
    }

    /** Parses the message; refuses it first when its bytes did not match the declared charset. */
    public Hl7Request parse(ReceivedMessage message) {
        InboundFrame frame = message.frame();
        if (frame.charsetError() != null) {
            throw new Hl7MessageException("AR", Hl7MessageException.DATA_TYPE_ERROR, "MSH-18", frame.charsetError());
        }
        return parser.parse(frame.text(), frame.charset());
    }

    /** Applies the request through the core: one transaction; durable when this returns. */
    public void apply(Hl7Request request) {
        if (request instanceof Hl7Request.Order o) {
            orders.apply(o.order());
        } else if (request instanceof Hl7Request.PatientUpdate u) {
            orders.updatePatient(u.patient());
        } else if (request instanceof Hl7Request.PatientMerge m) {
            for (Hl7Request.Merge merge : m.merges()) {
                orders.mergePatient(merge.survivor(), merge.oldPatientId(), merge.oldIssuer());
            }
        }
    }

    /** AA, recorded in the log. Called only after {@link #apply} returned. */
    public Ack accepted(ReceivedMessage message) {
        Ack ack = acks.accept(message.header(), message.frame().ackCharset());
        messageLog.completed(message.logId(), ack.code(), ack.text(), null);
        metrics.answered(ack.code());
        LOG.info("HL7 message #{} {} control ID {} from {}: AA", message.logId(), message.header().messageType(),
                message.header().controlId(), message.header().sender());
        return ack;
    }

    /**
     * The ACK for a failure at any step, recorded in the log when the message got there. Never throws: the RIS must
     * get an answer even when the log cannot be updated.
     *
     * @param message the logged message, or null when logging itself failed
     * @param frame   the decoded frame (for the ACK's header), or null
     */
    public Ack failed(ReceivedMessage message, InboundFrame frame, Throwable failure) {
        InboundFrame f = message != null ? message.frame() : frame;
        MshHeader header = f == null ? MshHeader.none() : f.header();
        java.nio.charset.Charset charset = f == null ? java.nio.charset.StandardCharsets.US_ASCII : f.ackCharset();
        Ack ack;
        if (failure instanceof Hl7MessageException e) {
            ack = acks.error(header, charset, e.ackCode(), e.errorCode(), e.location(), e.getMessage());
        } else if (failure instanceof OrderRejectedException e) {
            ack = acks.error(header, charset, e.reject() ? "AR" : "AE", errorCode(e), e.field(), e.getMessage());
        } else {
            // Infrastructure failure (database down...): AR, which HL7 reserves for failures unrelated to the
            // message content, so the RIS may resend. The exception text stays out of the ACK and the log at INFO.
            // A database exception may quote the values it refused (names, IDs): the class at ERROR, the details
            // only at DEBUG.
            LOG.error("HL7 message #{} {} control ID {}: internal error ({}), not applied", message == null ? "-"
                    : message.logId(), header.messageType(), header.controlId(), failure.getClass().getName());
            LOG.debug("HL7 internal error details", failure);
            ack = acks.error(header, charset, "AR", Hl7MessageException.APPLICATION_INTERNAL_ERROR, null,
                    "internal error (" + failure.getClass().getSimpleName()
                            + "): the message was not applied and is kept for replay");
        }
        metrics.answered(ack.code());
        if (message != null) {
            try {
                messageLog.completed(message.logId(), ack.code(), ack.text(), ack.error());
            } catch (RuntimeException e) {
                LOG.error("HL7 message #{}: could not record its {} ACK in the message log ({})", message.logId(),
                        ack.code(), e.getClass().getName());
                LOG.debug("message log failure details", e);
            }
        }
        LOG.warn("HL7 message #{} {} control ID {} from {}: {} {}", message == null ? "-" : message.logId(),
                header.messageType(), header.controlId(), header.sender(), ack.code(), ack.error());
        return ack;
    }

    /** HL7 table 0357 code for a rejection by the core. */
    private static int errorCode(OrderRejectedException e) {
        String field = e.field();
        if (field != null && (field.startsWith("ORC-1") || field.startsWith("ORC-5"))) {
            return Hl7MessageException.TABLE_VALUE_NOT_FOUND;
        }
        return Hl7MessageException.APPLICATION_INTERNAL_ERROR;
    }
}
