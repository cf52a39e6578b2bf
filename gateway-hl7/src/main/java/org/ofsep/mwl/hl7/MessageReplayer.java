package org.ofsep.mwl.hl7;

import java.util.List;
import java.util.Optional;
import org.ofsep.mwl.core.store.LoggedMessage;
import org.ofsep.mwl.core.store.MessageLog;

/**
 * Re-runs a message from the log (CLI {@code gateway replay ID}), typically one that got AE because the mapping
 * lacked a station or a control pair and has since been fixed. The same steps as the MLLP route, minus the socket:
 * parse, then apply and record the new outcome on the same log entry in one transaction. A message already accepted is
 * not applied again, and neither is one whose control ID the RIS has since resent and had accepted.
 */
public final class MessageReplayer {

    /**
     * @param id       the log entry
     * @param ackCode  the new outcome: AA, AE or AR
     * @param ack      the ACK text the message would now get
     * @param error    what is wrong, null for AA
     * @param applied  true when this replay changed the worklist
     */
    /**
     * @param was what the message had been answered before the replay ("AE: the reason"), which the log's row no
     *            longer says once replayed: the audit trail keeps it
     */
    public record Result(long id, String ackCode, String ack, String error, boolean applied, String was) {
        public Result(long id, String ackCode, String ack, String error, boolean applied) {
            this(id, ackCode, ack, error, applied, null);
        }
    }

    private final MessageLog messageLog;
    private final InboundMessageHandler handler;

    public MessageReplayer(MessageLog messageLog, InboundMessageHandler handler) {
        this.messageLog = messageLog;
        this.handler = handler;
    }

    /** Messages answered AE or AR, newest first (CLI {@code gateway messages --failed}). */
    public List<LoggedMessage> failed(int limit) {
        return messageLog.failed(limit);
    }

    /**
     * @throws IllegalArgumentException when there is no message with this id
     */
    public Result replay(long id) {
        LoggedMessage logged = messageLog.get(id)
                .orElseThrow(() -> new IllegalArgumentException("no HL7 message #" + id + " in the message log"));
        if ("AA".equals(logged.ackCode())) {
            return new Result(id, "AA", logged.ack(), null, false);
        }
        boolean unsupportedCharset = Hl7Charsets.forMsh18(MshHeader.read(logged.raw()).characterSet()).isEmpty();
        if (unsupportedCharset || logged.error() != null && logged.error().contains(InboundFrame.CHARSET_MISMATCH)) {
            // The log holds a best-effort text of bytes that were not valid: replaying it would guess. The RIS must
            // resend the message with the right MSH-18.
            return new Result(id, logged.ackCode(), logged.ack(),
                    "not replayed: " + (logged.error() == null ? "unsupported MSH-18" : logged.error())
                            + "; the RIS must resend it with a correct MSH-18", false, logged.ackCode());
        }
        // what the message was first answered, which its log row no longer holds once replayed
        String was = logged.ackCode() == null ? null
                : logged.ackCode() + (logged.error() == null ? "" : ": " + logged.error());
        InboundFrame frame = InboundFrame.ofText(logged.raw());
        ReceivedMessage message = new ReceivedMessage(id, frame);
        Optional<Ack> duplicate;
        try {
            duplicate = handler.duplicateAck(message);
        } catch (Hl7MessageException e) {
            // its control ID was since accepted for another message: not replayed, and said (the command exited
            // with an error and the refused attempt was not in the audit trail)
            return new Result(id, e.ackCode(), null, e.getMessage(), false, was);
        }
        if (duplicate.isPresent()) {
            return new Result(id, duplicate.get().code(), duplicate.get().text(), null, false);
        }
        Ack ack;
        boolean applied = false;
        try {
            ack = handler.applyAndAccept(message, handler.parse(message));
            applied = true;
        } catch (RuntimeException e) {
            // the same mapping from failure to ACK as the route's error handler
            ack = handler.failed(message, frame, e);
        }
        return new Result(id, ack.code(), ack.text(), ack.error(), applied, was);
    }
}
