package org.ofsep.mwl.dicom.scu;

import java.io.IOException;
import org.ofsep.mwl.dicom.pdu.AssociateRj;

/** The called AE rejected our A-ASSOCIATE-RQ. */
public class AssociationRejectedException extends IOException {
    private final AssociateRj rejection;

    public AssociationRejectedException(AssociateRj rejection) {
        super("association rejected: " + rejection.describe());
        this.rejection = rejection;
    }

    public AssociateRj rejection() {
        return rejection;
    }
}
