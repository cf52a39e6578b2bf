package org.ofsep.mwl.dicom.dul;

import java.time.Duration;

/**
 * Timers and limits of one upper layer connection.
 *
 * @param maxPduLengthReceive largest P-DATA-TF PDU (variable part) accepted from the peer; also what we
 *                            advertise. Larger PDUs abort the association.
 * @param artim               ARTIM timer (PS3.8 9.1.5): how long to wait for the A-ASSOCIATE-RQ after
 *                            connect, and for the peer to close after a release, reject or abort
 * @param idleTimeout         an established association with no traffic for this long is aborted;
 *                            also bounds how long one write may block on a peer that does not read
 */
public record UpperLayerSettings(long maxPduLengthReceive, Duration artim, Duration idleTimeout) {
    public UpperLayerSettings {
        if (maxPduLengthReceive < 0) {
            throw new IllegalArgumentException("maxPduLengthReceive < 0");
        }
    }
}
