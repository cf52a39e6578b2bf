package org.ofsep.mwl.dicom.pdu;

/**
 * A PDU that cannot be accepted: unknown type, inconsistent lengths, missing mandatory items, too large.
 * Carries the A-ABORT reason the provider sends for it (PS3.8 9.3.8).
 */
public class PduFormatException extends Exception {
    private final int abortReason;

    public PduFormatException(int abortReason, String message) {
        super(message);
        this.abortReason = abortReason;
    }

    public int abortReason() {
        return abortReason;
    }
}
