package org.ofsep.mwl.dicom.pdu;

/** A-RELEASE-RQ PDU (PS3.8 9.3.6). */
public record ReleaseRq() implements Pdu {
    @Override
    public int type() {
        return TYPE_RELEASE_RQ;
    }
}
