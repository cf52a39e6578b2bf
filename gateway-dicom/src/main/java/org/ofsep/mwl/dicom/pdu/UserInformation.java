package org.ofsep.mwl.dicom.pdu;

import java.util.List;

/**
 * User Information item (0x50) of A-ASSOCIATE-RQ/AC.
 *
 * @param maxPduLength              maximum length of a P-DATA-TF PDU's variable field the sender can receive;
 *                                  0 = unlimited (sub-item 0x51)
 * @param implementationClassUid    sub-item 0x52 (mandatory)
 * @param implementationVersionName sub-item 0x55, may be null
 * @param roleSelections            sub-items 0x54
 * @param asyncOpsWindow            sub-item 0x53, null when absent
 * @param otherItems                sub-items we do not interpret (extended negotiation, user identity), kept
 *                                  so that decoding loses nothing; never echoed back
 */
public record UserInformation(long maxPduLength, String implementationClassUid, String implementationVersionName,
                              List<RoleSelection> roleSelections, AsyncOpsWindow asyncOpsWindow,
                              List<RawItem> otherItems) {
    public UserInformation {
        roleSelections = roleSelections == null ? List.of() : List.copyOf(roleSelections);
        otherItems = otherItems == null ? List.of() : List.copyOf(otherItems);
    }

    /** An item or sub-item kept as it came: its type byte and value bytes. */
    public record RawItem(int type, byte[] value) {
    }
}
