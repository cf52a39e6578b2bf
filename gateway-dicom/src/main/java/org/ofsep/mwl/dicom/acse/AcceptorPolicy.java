package org.ofsep.mwl.dicom.acse;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ofsep.mwl.dicom.pdu.AssociateAc;
import org.ofsep.mwl.dicom.pdu.AssociateRj;
import org.ofsep.mwl.dicom.pdu.AssociateRq;
import org.ofsep.mwl.dicom.pdu.AsyncOpsWindow;
import org.ofsep.mwl.dicom.pdu.PresentationContext;
import org.ofsep.mwl.dicom.pdu.PresentationContextResult;
import org.ofsep.mwl.dicom.pdu.RoleSelection;
import org.ofsep.mwl.dicom.pdu.UserInformation;

/**
 * Decides on an A-ASSOCIATE-RQ as the acceptor (PS3.8 7.1, PS3.7 Annex D):
 * <ol>
 *   <li>the application context must be the DICOM one, else rejected-permanent, service-user, reason 2;</li>
 *   <li>the called AE title must be ours, else rejected-permanent, service-user, reason 7;</li>
 *   <li>the calling AE title must be a known peer ({@link CallingPeers}: the configured stations), and when the
 *       peer names a host the connection must come from it, else rejected-permanent, service-user, reason 3;</li>
 *   <li>each presentation context is answered on its own: unknown abstract syntax = result 3, no acceptable
 *       transfer syntax = result 4, otherwise accepted with the requestor's first transfer syntax we support.</li>
 * </ol>
 * SCP/SCU role selection: the requestor may be SCU (we are the SCP of every class we serve); a request to be
 * SCP only is refused for that class. The asynchronous operations window is answered 1/1 (one operation at
 * a time). Our maximum PDU length, implementation class UID and version name are always sent.
 */
public final class AcceptorPolicy {

    /** The decision: either {@code accept} (with the negotiated contexts) or {@code reject}, and why. */
    public record Outcome(AssociateAc accept, AssociateRj reject, CallingPeers.Peer peer,
                          Map<Integer, AcceptedContext> contexts, long peerMaxPduLength, String reason) {
        public boolean accepted() {
            return accept != null;
        }
    }

    private final String aeTitle;
    private final Set<String> abstractSyntaxes;
    private final List<String> transferSyntaxes;
    private final long maxPduLength;

    /**
     * @param aeTitle          our AE title (the called AE title we answer to)
     * @param abstractSyntaxes the SOP classes we serve
     * @param transferSyntaxes the transfer syntaxes we accept
     * @param maxPduLength     the largest P-DATA-TF we accept, advertised in the answer
     */
    public AcceptorPolicy(String aeTitle, Set<String> abstractSyntaxes, List<String> transferSyntaxes,
                          long maxPduLength) {
        this.aeTitle = aeTitle;
        this.abstractSyntaxes = Set.copyOf(abstractSyntaxes);
        this.transferSyntaxes = List.copyOf(transferSyntaxes);
        this.maxPduLength = maxPduLength;
    }

    public Outcome negotiate(AssociateRq rq, CallingPeers peers, InetAddress peer) {
        if (!Implementation.APPLICATION_CONTEXT.equals(rq.applicationContext())) {
            return reject(AssociateRj.REASON_APPLICATION_CONTEXT_NOT_SUPPORTED,
                    "application context " + rq.applicationContext() + " not supported");
        }
        if (!aeTitle.equals(rq.calledAeTitle())) {
            return reject(AssociateRj.REASON_CALLED_AE_NOT_RECOGNIZED,
                    "called AE title '" + rq.calledAeTitle() + "' is not ours ('" + aeTitle + "')");
        }
        Optional<? extends CallingPeers.Peer> station = peers.find(rq.callingAeTitle());
        if (station.isEmpty()) {
            return reject(AssociateRj.REASON_CALLING_AE_NOT_RECOGNIZED,
                    "calling AE title '" + rq.callingAeTitle() + "' is not a configured station");
        }
        if (!hostMatches(station.get().host(), peer)) {
            return reject(AssociateRj.REASON_CALLING_AE_NOT_RECOGNIZED,
                    "calling AE title '" + rq.callingAeTitle() + "' must connect from " + station.get().host()
                            + ", not " + (peer == null ? "?" : peer.getHostAddress()));
        }

        UserInformation theirs = rq.userInformation();
        Map<String, RoleSelection> proposedRoles = new LinkedHashMap<>();
        theirs.roleSelections().forEach(r -> proposedRoles.put(r.sopClassUid(), r));

        List<PresentationContextResult> results = new ArrayList<>();
        Map<Integer, AcceptedContext> accepted = new LinkedHashMap<>();
        java.util.Set<Integer> ids = new java.util.HashSet<>();
        for (PresentationContext pc : rq.presentationContexts()) {
            // PS3.8 9.3.2.2: ids are odd, 1 to 255, and unique; a context breaking that cannot be used
            boolean validId = pc.id() % 2 == 1 && pc.id() <= 255 && ids.add(pc.id());
            PresentationContextResult r = validId ? answer(pc, proposedRoles.get(pc.abstractSyntax()))
                    : new PresentationContextResult(pc.id(), PresentationContextResult.NO_REASON, pc.transferSyntaxes().get(0));
            results.add(r);
            if (r.accepted() && validId) {
                accepted.put(pc.id(), new AcceptedContext(pc.id(), pc.abstractSyntax(), r.transferSyntax()));
            }
        }
        List<RoleSelection> roles = new ArrayList<>();
        for (RoleSelection r : proposedRoles.values()) {
            if (abstractSyntaxes.contains(r.sopClassUid())) {
                // The requestor may act as SCU; it may never act as SCP (we never invoke operations on it).
                roles.add(new RoleSelection(r.sopClassUid(), r.scuRole(), false));
            }
        }
        AsyncOpsWindow window = theirs.asyncOpsWindow() == null ? null : new AsyncOpsWindow(1, 1);
        UserInformation ours = new UserInformation(maxPduLength, Implementation.CLASS_UID,
                Implementation.VERSION_NAME, roles, window, List.of());
        AssociateAc ac = new AssociateAc(1, rq.calledAeTitle(), rq.callingAeTitle(), Implementation.APPLICATION_CONTEXT,
                results, ours);
        return new Outcome(ac, null, station.get(), accepted, theirs.maxPduLength(),
                accepted.size() + " of " + rq.presentationContexts().size() + " presentation contexts accepted");
    }

    private PresentationContextResult answer(PresentationContext pc, RoleSelection role) {
        String anyTs = pc.transferSyntaxes().get(0);
        if (!abstractSyntaxes.contains(pc.abstractSyntax())) {
            return new PresentationContextResult(pc.id(), PresentationContextResult.ABSTRACT_SYNTAX_NOT_SUPPORTED, anyTs);
        }
        if (role != null && !role.scuRole()) {
            // The requestor proposes only to be SCP of a class we serve as SCP: nothing can run on it.
            return new PresentationContextResult(pc.id(), PresentationContextResult.USER_REJECTION, anyTs);
        }
        for (String ts : pc.transferSyntaxes()) {
            if (transferSyntaxes.contains(ts)) {
                return new PresentationContextResult(pc.id(), PresentationContextResult.ACCEPTANCE, ts);
            }
        }
        return new PresentationContextResult(pc.id(), PresentationContextResult.TRANSFER_SYNTAXES_NOT_SUPPORTED, anyTs);
    }

    private static Outcome reject(int reason, String why) {
        return new Outcome(null, new AssociateRj(AssociateRj.RESULT_PERMANENT, AssociateRj.SOURCE_SERVICE_USER, reason),
                null, Map.of(), 0, why);
    }

    /** A station tied to a host admits only connections from one of that host's addresses. */
    static boolean hostMatches(String host, InetAddress peer) {
        if (host == null || host.isBlank()) {
            return true;
        }
        if (peer == null) {
            return false;
        }
        if (host.trim().equals(peer.getHostAddress())) {
            return true;
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(host.trim())) {
                if (a.equals(peer)) {
                    return true;
                }
            }
        } catch (UnknownHostException e) {
            return false;
        }
        return false;
    }
}
