package org.ofsep.mwl.dicom.dimse;

/**
 * One DIMSE message: its command set and, when the command says so, the data set bytes encoded in the
 * presentation context's transfer syntax (decoded by the service, which knows the data dictionary).
 */
public record DimseMessage(int contextId, Command command, byte[] dataSet) {
}
