package org.ofsep.mwl.dicom.pdu;

/**
 * One presentation data value item of a P-DATA-TF PDU (PS3.8 9.3.5.1 and Annex E): a fragment of a DIMSE
 * command or data set, with its message control header.
 *
 * @param contextId presentation context id
 * @param command   true for a command fragment, false for a data set fragment (bit 0)
 * @param last      true for the last fragment of the command or data set (bit 1)
 * @param data      the fragment bytes
 */
public record PresentationDataValue(int contextId, boolean command, boolean last, byte[] data) {
    public int messageControlHeader() {
        return (command ? 0x01 : 0) | (last ? 0x02 : 0);
    }
}
