package org.ofsep.mwl.core.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Every inbound HL7 message, with its ACK: for inspection, replay and idempotency (MSH-10). */
public interface MessageLog {

    /** Stores a message as it arrived, before it is processed; returns its id. */
    long received(String sendingApplication, String controlId, String messageType, String raw);

    /** Records the outcome and the ACK sent. */
    void completed(long id, String ackCode, String ack, String error);

    /**
     * Stores a message together with its outcome, in one write: for a message whose processing and ACK are
     * committed in the same transaction (see {@link Transactions}), or that failed before it changed anything.
     * Returns its id.
     */
    default long record(String sendingApplication, String controlId, String messageType, String raw, String ackCode,
                        String ack, String error) {
        long id = received(sendingApplication, controlId, messageType, raw);
        completed(id, ackCode, ack, error);
        return id;
    }

    /** The earlier message with this sender and control ID that was answered, if any (a duplicate). */
    Optional<LoggedMessage> findAnswered(String sendingApplication, String controlId);

    /**
     * The latest message with this sender and control ID that was accepted (AA), if any: what a retransmission
     * repeats, and what a different message reusing the control ID collides with.
     */
    default Optional<LoggedMessage> findAccepted(String sendingApplication, String controlId) {
        return findAnswered(sendingApplication, controlId).filter(m -> "AA".equals(m.ackCode()));
    }

    Optional<LoggedMessage> get(long id);

    /** Messages answered AE or AR, newest first. */
    List<LoggedMessage> failed(int limit);

    /** Deletes messages received before {@code cutoff}; returns how many. */
    int trim(Instant cutoff);
}
