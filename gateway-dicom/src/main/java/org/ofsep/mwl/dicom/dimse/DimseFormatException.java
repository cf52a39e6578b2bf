package org.ofsep.mwl.dicom.dimse;

/** A DIMSE command set or message fragment sequence that cannot be decoded; the association is aborted. */
public class DimseFormatException extends Exception {
    public DimseFormatException(String message) {
        super(message);
    }
}
