package org.ofsep.mwl.dicom.pdu;

/** Asynchronous Operations Window sub-item (0x53, PS3.7 D.3.3.3); 0 means unlimited. */
public record AsyncOpsWindow(int maxOperationsInvoked, int maxOperationsPerformed) {
}
