package org.ofsep.mwl.hl7;

import java.util.Optional;
import org.ofsep.mwl.core.order.OrderRejectedException;
import org.ofsep.mwl.core.order.OrderService;
import org.ofsep.mwl.core.store.LoggedMessage;
import org.ofsep.mwl.core.store.MessageLog;
import org.ofsep.mwl.core.store.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of handling one inbound message, in the order the route runs them: answer a duplicate with its earlier
 * ACK, check its charset, parse it, then apply it and keep it in the message log with its AA in one transaction,
 * and only then acknowledge. A message that fails at any step is kept in the log with the AE/AR it gets, through
 * {@link #failed}. The Camel route and the {@link MessageReplayer} both use these steps.
 *
 * <p>Why one transaction: the order, the log row and the ACK code are one commit, not three; the commit is what an
 * embedded store spends its time on. Nothing is lost by not writing the message before processing it: until its
 * ACK is sent, the RIS holds the message and sends it again when the gateway died meanwhile.
 *
 * <p>Logs carry message types, control IDs and outcomes; never patient data at INFO or above.
 */
public final class InboundMessageHandler {
    private static final Logger LOG = LoggerFactory.getLogger(InboundMessageHandler.class);

    private final OrderService orders;
    private final MessageLog messageLog;
    private final Transactions transactions;
    private final AckFactory acks;
    private final MessageParser parser;
    private final Hl7Metrics metrics;
    private volatile java.util.function.Consumer<org.ofsep.mwl.core.order.OrderMessage> afterCommit;

    /**
     * @param transactions how the order and its log row are committed together: the database the order service and
     *                     the message log write to ({@link Transactions#SEPARATE} for stores that cannot)
     */
    public InboundMessageHandler(OrderService orders, MessageLog messageLog, Transactions transactions,
                                 AckFactory acks, Hl7Metrics metrics) {
        this(orders, messageLog, transactions, acks, metrics, null);
    }

    /** @param siteZone the site's time zone: times sent with an offset are converted to it (null: the system's) */
    public InboundMessageHandler(OrderService orders, MessageLog messageLog, Transactions transactions,
                                 AckFactory acks, Hl7Metrics metrics, java.time.ZoneId siteZone) {
        this(orders, messageLog, transactions, acks, metrics, siteZone, null);
    }

    /** @param processingIds the MSH-11 processing IDs applied (null: production only, {@link Hl7Settings}) */
    public InboundMessageHandler(OrderService orders, MessageLog messageLog, Transactions transactions,
                                 AckFactory acks, Hl7Metrics metrics, java.time.ZoneId siteZone,
                                 java.util.Set<String> processingIds) {
        this.parser = new MessageParser(siteZone, processingIds);
        this.orders = orders;
        this.messageLog = messageLog;
        this.transactions = transactions == null ? Transactions.SEPARATE : transactions;
        this.acks = acks;
        this.metrics = metrics == null ? new Hl7Metrics() : metrics;
    }

    public InboundMessageHandler(OrderService orders, MessageLog messageLog, AckFactory acks) {
        this(orders, messageLog, Transactions.SEPARATE, acks, null);
    }

    /**
     * Work that needs a remote peer (the PACS prior lookup) for each order once it is committed: called after the
     * commit, before the ACK is written; it must only hand the order over (a bounded queue), never wait.
     */
    public void afterCommit(java.util.function.Consumer<org.ofsep.mwl.core.order.OrderMessage> listener) {
        this.afterCommit = listener;
    }

    /** A message as it arrived; it enters the message log with its outcome. */
    public ReceivedMessage receive(InboundFrame frame) {
        MshHeader h = frame.header();
        metrics.received();
        LOG.debug("HL7 message received: {} control ID {}", h.messageType(), h.controlId());
        return ReceivedMessage.arrived(frame);
    }

    /**
     * When the same sender already sent this control ID and it was accepted, and this is the same message (a
     * retransmission: the same content apart from MSH-7, the time it was sent), the earlier ACK again: nothing is
     * applied twice, and the duplicate is logged with that ACK. A different message that reuses the control ID is
     * refused (AE, 205 on MSH-10, WARN): acknowledging it AA unapplied would lose it silently. A message answered
     * AE/AR before is processed again: nothing of it was stored, and the RIS may resend once the cause is fixed.
     *
     * @throws Hl7MessageException AE 205 when the control ID was accepted before for a different message
     */
    public Optional<Ack> duplicateAck(ReceivedMessage message) {
        MshHeader h = message.header();
        if (h.controlId() == null) {
            return Optional.empty();
        }
        Optional<LoggedMessage> earlier = messageLog.findAccepted(h.sender(), h.controlId())
                .filter(m -> m.id() != message.logId())
                .filter(m -> "AA".equals(m.ackCode()) && m.ack() != null);
        if (earlier.isEmpty()) {
            return Optional.empty();
        }
        LoggedMessage first = earlier.get();
        if (!MessageContent.sameMessage(first.raw(), message.frame().text())) {
            throw new Hl7MessageException("AE", Hl7MessageException.DUPLICATE_KEY_IDENTIFIER, "MSH-10",
                    "message control ID " + h.controlId() + " was already used by message #" + first.id()
                            + " from this sender, with a different content (compared without MSH-7): not applied."
                            + " A retransmission must be the same message; a new message needs a new MSH-10");
        }
        Ack ack = new Ack(first.ackCode(), first.ack(), message.frame().ackCharset(), null);
        long id = log(message, ack, "duplicate of message #" + first.id());
        metrics.duplicate();
        metrics.answered(ack.code());
        LOG.info("HL7 message #{} {} control ID {} from {} is a duplicate of message #{}: same ACK sent again, "
                + "nothing applied", id, h.messageType(), h.controlId(), h.sender(), first.id());
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

    /**
     * The order of a message the log holds (its {@code raw} text, as {@link #applyAndAccept} logged it), parsed
     * again exactly as at intake: the same parser (site time zone), the charset its MSH-18 declares (the text is
     * stored decoded; the charset only matters for {@code \Xhh\} escapes, and an accepted message always declared
     * a supported one). The durable PACS lookup names the message instead of copying the order and reads it back
     * through this.
     *
     * @throws Hl7MessageException when the text does not parse
     * @throws IllegalArgumentException when it is not an order message
     */
    public org.ofsep.mwl.core.order.OrderMessage loggedOrder(String raw) {
        InboundFrame frame = InboundFrame.ofText(raw);
        Hl7Request request = parser.parse(frame.text(), frame.charset());
        if (request instanceof Hl7Request.Order o) {
            return o.order();
        }
        throw new IllegalArgumentException("message " + frame.header().messageType() + " is not an order");
    }

    /**
     * Applies the request through the core and keeps the message in the log with its AA, in one transaction: when
     * this returns, both are durable and the AA may be sent. When it throws, neither was stored.
     */
    public Ack applyAndAccept(ReceivedMessage message, Hl7Request request) {
        Ack ack = acks.accept(message.header(), message.frame().ackCharset());
        long id = transactions.inOneTransaction(() -> {
            if (transactions == Transactions.SEPARATE) {
                // each call commits on its own: the log row with its AA only once the order is stored
                apply(request, 0);
                return log(message, ack, null);
            }
            // one transaction: the log row first, so that the order's work can name it (the durable PACS lookup
            // holds the message's id, not a copy of the order); when the order is refused, neither stays
            long logged = log(message, ack, null);
            apply(request, logged);
            return logged;
        });
        metrics.answered(ack.code());
        LOG.info("HL7 message #{} {} control ID {} from {}: AA", id, message.header().messageType(),
                message.header().controlId(), message.header().sender());
        var listener = afterCommit;
        if (listener != null && request instanceof Hl7Request.Order o) {
            try {
                listener.accept(o.order());
            } catch (RuntimeException e) {
                LOG.warn("after-commit work for HL7 message #{} not started: {}", id, e.toString());
            }
        }
        return ack;
    }

    private void apply(Hl7Request request, long messageId) {
        if (request instanceof Hl7Request.Order o) {
            if (messageId > 0) {
                orders.apply(o.order(), messageId);
            } else {
                orders.apply(o.order());
            }
        } else if (request instanceof Hl7Request.PatientUpdate u) {
            orders.updatePatient(u.patient());
        } else if (request instanceof Hl7Request.PatientMerge m) {
            for (Hl7Request.Merge merge : m.merges()) {
                orders.mergePatient(merge.survivor(), merge.oldPatientId(), merge.oldIssuer());
            }
        }
    }

    /** Records the outcome: a new log row with it, or on the row a replayed message already has. Returns its id. */
    private long log(ReceivedMessage message, Ack ack, String error) {
        if (message.logged()) {
            messageLog.completed(message.logId(), ack.code(), ack.text(), error);
            return message.logId();
        }
        MshHeader h = message.header();
        return messageLog.record(h.present() ? h.sender() : null, h.controlId(), h.messageType(),
                message.frame().text(), ack.code(), ack.text(), error);
    }

    /**
     * The ACK for a failure at any step, kept in the log with the message (nothing of the message was applied).
     * Never throws: the RIS must get an answer even when the log cannot be written.
     *
     * @param message the message, or null when the failure came before it was received
     * @param frame   the decoded frame (for the ACK's header and the log), or null when even decoding failed
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
            LOG.error("HL7 {} control ID {}: internal error ({}), not applied", header.messageType(),
                    header.controlId(), failure.getClass().getName());
            LOG.debug("HL7 internal error details", failure);
            ack = acks.error(header, charset, "AR", Hl7MessageException.APPLICATION_INTERNAL_ERROR, null,
                    "internal error (" + failure.getClass().getSimpleName()
                            + "): the message was not applied and is kept for replay");
        }
        String id = "-";
        boolean kept = false;
        if (f != null) {
            try {
                id = Long.toString(log(message != null ? message : ReceivedMessage.arrived(f), ack, ack.error()));
                kept = true;
            } catch (RuntimeException e) {
                LOG.error("HL7 {} control ID {}: could not keep it with its {} ACK in the message log ({})",
                        header.messageType(), header.controlId(), ack.code(), e.getClass().getName());
                LOG.debug("message log failure details", e);
            }
        }
        if (!kept && "AR".equals(ack.code()) && !(failure instanceof Hl7MessageException)
                && !(failure instanceof OrderRejectedException)) {
            // the store itself failed: nothing was kept, so the ACK must not promise a replay
            ack = acks.error(header, charset, "AR", Hl7MessageException.APPLICATION_INTERNAL_ERROR, null,
                    "internal error (" + failure.getClass().getSimpleName()
                            + "): the store is unavailable; the message was not applied and not kept: send it again");
        }
        metrics.answered(ack.code());
        LOG.warn("HL7 message #{} {} control ID {} from {}: {} {}", id,
                header.messageType() == null ? "(no MSH-9)" : header.messageType(),
                header.controlId() == null ? "(none)" : header.controlId(),
                header.sender() == null || header.sender().isBlank() || header.sender().equals(":") ? "(unknown sender)"
                        : header.sender(), ack.code(), ack.error());
        return ack;
    }

    /**
     * HL7 table 0357 code for a rejection by the core: 101 a required value missing, 102 a value malformed or too
     * long for its DICOM VR, 103 an unmapped coded value, 204 an unknown (or closed) order, 205 an identifier that
     * belongs to another order or patient, 207 only when the gateway cannot serve the order (its configuration).
     */
    static int errorCode(OrderRejectedException e) {
        return switch (e.kind()) {
            case MISSING -> Hl7MessageException.REQUIRED_FIELD_MISSING;
            case BAD_VALUE -> Hl7MessageException.DATA_TYPE_ERROR;
            case UNMAPPED -> Hl7MessageException.TABLE_VALUE_NOT_FOUND;
            case UNKNOWN_KEY -> Hl7MessageException.UNKNOWN_KEY_IDENTIFIER;
            case DUPLICATE_KEY -> Hl7MessageException.DUPLICATE_KEY_IDENTIFIER;
            case NOT_SERVED -> Hl7MessageException.APPLICATION_INTERNAL_ERROR;
        };
    }
}
