package org.ofsep.mwl.dicom.acse;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.dicom.net.TestMapping;
import org.ofsep.mwl.dicom.service.StationPeers;
import org.ofsep.mwl.dicom.pdu.AssociateRj;
import org.ofsep.mwl.dicom.pdu.AssociateRq;
import org.ofsep.mwl.dicom.pdu.AsyncOpsWindow;
import org.ofsep.mwl.dicom.pdu.PresentationContext;
import org.ofsep.mwl.dicom.pdu.PresentationContextResult;
import org.ofsep.mwl.dicom.pdu.RoleSelection;
import org.ofsep.mwl.dicom.pdu.UserInformation;

class AcceptorPolicyTest {

    private static final String BIG_ENDIAN = "1.2.840.10008.1.2.2";
    private static final String JPEG = "1.2.840.10008.1.2.4.50";
    private static final String CT_STORAGE = "1.2.840.10008.5.1.4.1.1.2";

    private final AcceptorPolicy policy = new AcceptorPolicy("MWLGW",
            Set.of(Implementation.VERIFICATION, Implementation.MODALITY_WORKLIST_FIND, Implementation.MODALITY_PERFORMED_PROCEDURE_STEP),
            Implementation.TRANSFER_SYNTAXES, 32768);
    private final CallingPeers mapping = new StationPeers(TestMapping::standard);
    private final InetAddress localhost = InetAddress.getLoopbackAddress();

    private static AssociateRq rq(String called, String calling, List<PresentationContext> pcs, UserInformation ui) {
        return new AssociateRq(1, called, calling, Implementation.APPLICATION_CONTEXT, pcs, ui);
    }

    private static UserInformation ui() {
        return new UserInformation(0, "1.2.3", "X", List.of(), null, List.of());
    }

    private static List<PresentationContext> mwl() {
        return List.of(new PresentationContext(1, Implementation.MODALITY_WORKLIST_FIND, List.of(Implementation.IMPLICIT_VR_LITTLE_ENDIAN)));
    }

    @Test
    void unknownCalledAeTitleIsRejectedPermanentlyWithReason7() {
        var out = policy.negotiate(rq("OTHER", "MR_GE", mwl(), ui()), mapping, localhost);
        assertThat(out.accepted()).isFalse();
        assertThat(out.reject()).isEqualTo(new AssociateRj(1, 1, 7));
    }

    @Test
    void unknownCallingAeTitleIsRejectedPermanentlyWithReason3() {
        var out = policy.negotiate(rq("MWLGW", "STRANGER", mwl(), ui()), mapping, localhost);
        assertThat(out.reject()).isEqualTo(new AssociateRj(1, 1, 3));
        // AE titles are exact: case matters
        assertThat(policy.negotiate(rq("MWLGW", "mr_ge", mwl(), ui()), mapping, localhost).accepted()).isFalse();
    }

    @Test
    void stationTiedToAHostIsAcceptedOnlyFromIt() throws Exception {
        assertThat(policy.negotiate(rq("MWLGW", "MR_PHILIPS", mwl(), ui()), mapping, localhost).accepted()).isTrue();
        var out = policy.negotiate(rq("MWLGW", "MR_PHILIPS", mwl(), ui()), mapping, InetAddress.getByName("10.1.2.3"));
        assertThat(out.reject()).isEqualTo(new AssociateRj(1, 1, 3));
        assertThat(out.reason()).contains("must connect from 127.0.0.1");
    }

    @Test
    void foreignApplicationContextIsRejectedWithReason2() {
        AssociateRq r = new AssociateRq(1, "MWLGW", "MR_GE", "1.2.3.4.5", mwl(), ui());
        assertThat(policy.negotiate(r, mapping, localhost).reject()).isEqualTo(new AssociateRj(1, 1, 2));
    }

    @Test
    void eachPresentationContextIsAnsweredOnItsOwn() {
        List<PresentationContext> pcs = List.of(
                new PresentationContext(1, Implementation.MODALITY_WORKLIST_FIND, List.of(BIG_ENDIAN, Implementation.IMPLICIT_VR_LITTLE_ENDIAN, Implementation.EXPLICIT_VR_LITTLE_ENDIAN)),
                new PresentationContext(3, Implementation.VERIFICATION, List.of(JPEG, BIG_ENDIAN)),
                new PresentationContext(5, CT_STORAGE, List.of(Implementation.IMPLICIT_VR_LITTLE_ENDIAN)),
                new PresentationContext(7, Implementation.MODALITY_PERFORMED_PROCEDURE_STEP, List.of(Implementation.EXPLICIT_VR_LITTLE_ENDIAN)));
        var out = policy.negotiate(rq("MWLGW", "MR_GE", pcs, ui()), mapping, localhost);
        assertThat(out.accepted()).isTrue();
        assertThat(out.accept().presentationContexts()).extracting(PresentationContextResult::id, PresentationContextResult::result)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 0), org.assertj.core.groups.Tuple.tuple(3, 4),
                        org.assertj.core.groups.Tuple.tuple(5, 3), org.assertj.core.groups.Tuple.tuple(7, 0));
        // the requestor's first supported transfer syntax wins
        assertThat(out.accept().presentationContexts().get(0).transferSyntax()).isEqualTo(Implementation.IMPLICIT_VR_LITTLE_ENDIAN);
        assertThat(out.contexts()).containsOnlyKeys(1, 7);
        assertThat(out.contexts().get(7).transferSyntax()).isEqualTo(Implementation.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void userInformationAnswerCarriesOurLimitsAndIdentity() {
        UserInformation theirs = new UserInformation(4096, "1.2.3", "X",
                List.of(new RoleSelection(Implementation.MODALITY_WORKLIST_FIND, true, true), new RoleSelection(CT_STORAGE, false, true)),
                new AsyncOpsWindow(10, 0), List.of());
        var out = policy.negotiate(rq("MWLGW", "MR_GE", mwl(), theirs), mapping, localhost);
        UserInformation ours = out.accept().userInformation();
        assertThat(ours.maxPduLength()).isEqualTo(32768);
        assertThat(ours.implementationClassUid()).isEqualTo(Implementation.CLASS_UID);
        assertThat(ours.implementationVersionName()).isEqualTo(Implementation.VERSION_NAME);
        assertThat(ours.asyncOpsWindow()).isEqualTo(new AsyncOpsWindow(1, 1));
        // requestor may be SCU, never SCP; roles for classes we do not serve are not answered
        assertThat(ours.roleSelections()).containsExactly(new RoleSelection(Implementation.MODALITY_WORKLIST_FIND, true, false));
        assertThat(out.peerMaxPduLength()).isEqualTo(4096);
        assertThat(out.peer().aeTitle()).isEqualTo("MR_GE");
    }

    @Test
    void noAsyncWindowProposedMeansNoneAnswered() {
        var out = policy.negotiate(rq("MWLGW", "MR_GE", mwl(), ui()), mapping, localhost);
        assertThat(out.accept().userInformation().asyncOpsWindow()).isNull();
    }

    @Test
    void requestorProposingToBeScpOnlyGetsThatContextRejected() {
        UserInformation theirs = new UserInformation(0, "1.2.3", null,
                List.of(new RoleSelection(Implementation.MODALITY_WORKLIST_FIND, false, true)), null, List.of());
        var out = policy.negotiate(rq("MWLGW", "MR_GE", mwl(), theirs), mapping, localhost);
        assertThat(out.accept().presentationContexts().get(0).result()).isEqualTo(PresentationContextResult.USER_REJECTION);
        assertThat(out.contexts()).isEmpty();
    }

    @Test
    void requestorSideReadsTheAnswer() {
        AssociateRq r = RequestorPolicy.request("MR_GE", "MWLGW", List.of(Implementation.VERIFICATION, CT_STORAGE), 16384);
        assertThat(r.presentationContexts()).extracting(PresentationContext::id).containsExactly(1, 3);
        var out = policy.negotiate(r, mapping, localhost);
        var accepted = RequestorPolicy.acceptedContexts(r, out.accept());
        assertThat(accepted).containsOnlyKeys(1);
        assertThat(accepted.get(1).transferSyntax()).isEqualTo(Implementation.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void evenOrDuplicatePresentationContextIdsAreRefused() {
        List<PresentationContext> pcs = List.of(
                new PresentationContext(1, Implementation.VERIFICATION, List.of(Implementation.IMPLICIT_VR_LITTLE_ENDIAN)),
                new PresentationContext(1, Implementation.MODALITY_WORKLIST_FIND, List.of(Implementation.IMPLICIT_VR_LITTLE_ENDIAN)),
                new PresentationContext(4, Implementation.MODALITY_WORKLIST_FIND, List.of(Implementation.IMPLICIT_VR_LITTLE_ENDIAN)));
        var out = policy.negotiate(rq("MWLGW", "MR_GE", pcs, ui()), mapping, localhost);
        assertThat(out.accept().presentationContexts()).extracting(PresentationContextResult::result).containsExactly(0, 2, 2);
        assertThat(out.contexts()).containsOnlyKeys(1);
        assertThat(out.contexts().get(1).abstractSyntax()).isEqualTo(Implementation.VERIFICATION);
    }
}
