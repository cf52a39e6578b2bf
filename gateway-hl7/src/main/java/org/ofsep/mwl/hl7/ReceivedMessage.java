package org.ofsep.mwl.hl7;

/**
 * An inbound message: one just arrived from the RIS (not in the message log yet: it enters the log with its
 * outcome), or one read back from the log to be replayed.
 *
 * @param logId id in the {@link org.ofsep.mwl.core.store.MessageLog}, or {@link #NOT_LOGGED}
 * @param frame the decoded frame
 */
public record ReceivedMessage(long logId, InboundFrame frame) {

    /** The log id of a message not in the log yet (log ids start at 1). */
    public static final long NOT_LOGGED = 0;

    /** A message just arrived. */
    public static ReceivedMessage arrived(InboundFrame frame) {
        return new ReceivedMessage(NOT_LOGGED, frame);
    }

    /** True for a message read back from the log. */
    public boolean logged() {
        return logId != NOT_LOGGED;
    }

    public MshHeader header() {
        return frame.header();
    }
}
