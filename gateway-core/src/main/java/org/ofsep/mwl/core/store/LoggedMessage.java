package org.ofsep.mwl.core.store;

import java.time.Instant;

/**
 * One inbound HL7 message with the ACK it got.
 *
 * @param id          key
 * @param receivedAt  when it arrived
 * @param sendingApplication MSH-3^MSH-4
 * @param controlId   MSH-10, may be null for unparsable messages
 * @param messageType e.g. "ORM^O01", may be null
 * @param raw         the message as received (segments separated by CR), decoded with its declared charset
 * @param ackCode     AA, AE, AR, or null while processing
 * @param ack         the ACK text sent, or null
 * @param error       the error, when not AA
 */
public record LoggedMessage(long id, Instant receivedAt, String sendingApplication, String controlId,
                            String messageType, String raw, String ackCode, String ack, String error) {
}
