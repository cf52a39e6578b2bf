package org.ofsep.mwl.hl7;

/**
 * An inbound message once it is in the message log.
 *
 * @param logId id in the {@link org.ofsep.mwl.core.store.MessageLog}
 * @param frame the decoded frame
 */
public record ReceivedMessage(long logId, InboundFrame frame) {

    public MshHeader header() {
        return frame.header();
    }
}
