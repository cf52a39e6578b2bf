package org.ofsep.mwl.dicom.pdu;

/**
 * SCP/SCU Role Selection sub-item (0x54, PS3.7 D.3.3.4). In a request the flags are the roles the requestor
 * proposes for itself; in an acceptance they are the roles the acceptor agrees the requestor may take.
 */
public record RoleSelection(String sopClassUid, boolean scuRole, boolean scpRole) {
}
