package org.ofsep.mwl.dicom.acse;

/** A presentation context both ends agreed on: DIMSE messages on {@code id} use this transfer syntax. */
public record AcceptedContext(int id, String abstractSyntax, String transferSyntax) {
}
