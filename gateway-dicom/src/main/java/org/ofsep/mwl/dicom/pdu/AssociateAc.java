package org.ofsep.mwl.dicom.pdu;

import java.util.List;

/**
 * A-ASSOCIATE-AC PDU (PS3.8 9.3.3). The called and calling AE titles echo those of the request (the standard
 * says they are not to be tested, but the acceptor returns them).
 */
public record AssociateAc(int protocolVersion, String calledAeTitle, String callingAeTitle,
                          String applicationContext, List<PresentationContextResult> presentationContexts,
                          UserInformation userInformation) implements Pdu {
    public AssociateAc {
        presentationContexts = List.copyOf(presentationContexts);
    }

    @Override
    public int type() {
        return TYPE_ASSOCIATE_AC;
    }
}
