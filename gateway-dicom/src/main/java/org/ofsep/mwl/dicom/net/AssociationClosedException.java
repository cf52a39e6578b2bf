package org.ofsep.mwl.dicom.net;

import java.io.IOException;

/** The association ended (released, aborted, transport closed) while something was still to be sent or awaited. */
public class AssociationClosedException extends IOException {
    public AssociationClosedException(String message) {
        super(message);
    }
}
