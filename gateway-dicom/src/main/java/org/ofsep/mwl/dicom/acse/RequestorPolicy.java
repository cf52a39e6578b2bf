package org.ofsep.mwl.dicom.acse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ofsep.mwl.dicom.pdu.AssociateAc;
import org.ofsep.mwl.dicom.pdu.AssociateRq;
import org.ofsep.mwl.dicom.pdu.PresentationContext;
import org.ofsep.mwl.dicom.pdu.PresentationContextResult;
import org.ofsep.mwl.dicom.pdu.UserInformation;

/** The requestor's side of negotiation: what to propose, and what the acceptor's answer means. */
public final class RequestorPolicy {

    private RequestorPolicy() {
    }

    /** One presentation context per abstract syntax (ids 1, 3, 5...), each with our transfer syntaxes. */
    public static AssociateRq request(String callingAeTitle, String calledAeTitle, List<String> abstractSyntaxes,
                                      long maxPduLength) {
        List<PresentationContext> pcs = new ArrayList<>();
        int id = 1;
        for (String as : abstractSyntaxes) {
            pcs.add(new PresentationContext(id, as, Implementation.TRANSFER_SYNTAXES));
            id += 2;
        }
        UserInformation ui = new UserInformation(maxPduLength, Implementation.CLASS_UID, Implementation.VERSION_NAME,
                List.of(), null, List.of());
        return new AssociateRq(1, calledAeTitle, callingAeTitle, Implementation.APPLICATION_CONTEXT, pcs, ui);
    }

    /** The accepted contexts, checked against what was proposed (an acceptor may not invent contexts). */
    public static Map<Integer, AcceptedContext> acceptedContexts(AssociateRq rq, AssociateAc ac) {
        Map<Integer, PresentationContext> proposed = new LinkedHashMap<>();
        rq.presentationContexts().forEach(pc -> proposed.put(pc.id(), pc));
        Map<Integer, AcceptedContext> out = new LinkedHashMap<>();
        for (PresentationContextResult r : ac.presentationContexts()) {
            PresentationContext pc = proposed.get(r.id());
            if (r.accepted() && pc != null && pc.transferSyntaxes().contains(r.transferSyntax())) {
                out.put(r.id(), new AcceptedContext(r.id(), pc.abstractSyntax(), r.transferSyntax()));
            }
        }
        return out;
    }
}
