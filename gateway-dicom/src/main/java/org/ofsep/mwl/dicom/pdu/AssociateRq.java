package org.ofsep.mwl.dicom.pdu;

import java.util.List;

/** A-ASSOCIATE-RQ PDU (PS3.8 9.3.2). AE titles are stored without their space padding. */
public record AssociateRq(int protocolVersion, String calledAeTitle, String callingAeTitle,
                          String applicationContext, List<PresentationContext> presentationContexts,
                          UserInformation userInformation) implements Pdu {
    public AssociateRq {
        presentationContexts = List.copyOf(presentationContexts);
    }

    @Override
    public int type() {
        return TYPE_ASSOCIATE_RQ;
    }
}
