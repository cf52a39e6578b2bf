package org.ofsep.mwl.dicom.scu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.dicom.DicomServer;
import org.ofsep.mwl.dicom.DicomSettings;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.data.UID;
import org.ofsep.mwl.dicom.data.VR;
import org.ofsep.mwl.dicom.dimse.Status;
import org.ofsep.mwl.dicom.net.TestMapping;
import org.ofsep.mwl.dicom.pdu.AssociateRj;
import org.ofsep.mwl.dicom.service.InMemoryPerformedSteps;
import org.ofsep.mwl.dicom.service.InMemoryWorklist;

/** The SCU against our own SCP (the interop tests prove each side against independent peers). */
class DicomClientTest {

    private static final LocalDateTime DAY = LocalDateTime.of(2026, 11, 25, 0, 0);
    private DicomServer server;
    private final InMemoryWorklist worklist = new InMemoryWorklist();
    private final InMemoryPerformedSteps steps = new InMemoryPerformedSteps();

    @BeforeEach
    void start() throws Exception {
        for (int i = 0; i < 30; i++) {
            worklist.add(InMemoryWorklist.item("S" + i, "P" + i, "NAME^" + i, i % 2 == 0 ? "MR_GE" : "MR_SIEMENS", DAY.plusHours(i), null));
        }
        TestMapping mapping = TestMapping.standard();
        server = new DicomServer(DicomSettings.defaults().withPort(0).withBindAddress("127.0.0.1").withQueryLimit(20)
                .withArtimTimeout(Duration.ofSeconds(1)), () -> mapping, worklist, steps);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private static Attributes keys(String station) {
        Attributes k = new Attributes();
        k.setEmpty(Tag.PatientName);
        k.setEmpty(Tag.PatientID);
        Attributes sps = k.addItem(Tag.ScheduledProcedureStepSequence);
        if (station == null) {
            sps.setEmpty(Tag.ScheduledStationAETitle);
        } else {
            sps.setString(Tag.ScheduledStationAETitle, station);
        }
        sps.setEmpty(Tag.ScheduledProcedureStepID);
        return k;
    }

    @Test
    void echoFindAndRelease() throws Exception {
        try (DicomClient c = DicomClient.connect("127.0.0.1", server.port(), "MR_GE", "MWLGW",
                List.of(UID.VERIFICATION, UID.MODALITY_WORKLIST_FIND), DicomClient.Options.defaults())) {
            assertThat(c.echo()).isEqualTo(Status.SUCCESS);
            Attributes k = keys("MR_GE");
            k.getItem(Tag.ScheduledProcedureStepSequence, 0).setString(Tag.ScheduledProcedureStepStartDate, VR.DA, "20261125");
            List<Attributes> got = new ArrayList<>();
            assertThat(c.find(UID.MODALITY_WORKLIST_FIND, k, got::add)).isEqualTo(Status.SUCCESS);
            // 24 hours of items from midnight, even hours are MR_GE: S0..S22
            assertThat(got).hasSize(12);
            assertThat(got.get(0).getString(Tag.PatientID)).isEqualTo("P0");
            c.release();
            assertThat(c.isEstablished()).isFalse();
        }
    }

    /** A C-FIND over an association returns Requested Procedure Priority as the step has it, and matches on it. */
    @Test
    void aFindReturnsAndMatchesTheRequestedProcedurePriority() throws Exception {
        worklist.add(InMemoryWorklist.withPriority(InMemoryWorklist.item("URG", "PURG", "URGENT^ONE", "MR_CANON",
                DAY.plusDays(3), null), org.ofsep.mwl.core.domain.RequestedPriority.STAT));
        worklist.add(InMemoryWorklist.item("PLAIN", "PPLAIN", "PLAIN^ONE", "MR_CANON", DAY.plusDays(3), null));
        try (DicomClient c = DicomClient.connect("127.0.0.1", server.port(), "MR_CANON", "MWLGW",
                List.of(UID.MODALITY_WORKLIST_FIND), DicomClient.Options.defaults())) {
            Attributes k = keys("MR_CANON");
            k.setEmpty(Tag.RequestedProcedurePriority, VR.SH);
            List<Attributes> got = new ArrayList<>();
            assertThat(c.find(UID.MODALITY_WORKLIST_FIND, k, got::add)).isEqualTo(Status.SUCCESS);
            assertThat(got).hasSize(2);
            assertThat(got).filteredOn(a -> "PURG".equals(a.getString(Tag.PatientID)))
                    .singleElement().extracting(a -> a.getString(Tag.RequestedProcedurePriority)).isEqualTo("STAT");
            assertThat(got).filteredOn(a -> "PPLAIN".equals(a.getString(Tag.PatientID)))
                    .singleElement().satisfies(a -> {
                        assertThat(a.contains(Tag.RequestedProcedurePriority)).isTrue();
                        assertThat(a.getString(Tag.RequestedProcedurePriority)).isNull();
                    });
            k.setString(Tag.RequestedProcedurePriority, VR.SH, "STAT");
            got.clear();
            assertThat(c.find(UID.MODALITY_WORKLIST_FIND, k, got::add)).isEqualTo(Status.SUCCESS);
            assertThat(got).extracting(a -> a.getString(Tag.PatientID)).containsExactly("PURG");
        }
    }

    @Test
    void queryLimitReturnsThatManyThenOutOfResources() throws Exception {
        FindScu.Result r = FindScu.worklist("127.0.0.1", server.port(), "MR_GE", "MWLGW", keys(null), DicomClient.Options.defaults());
        assertThat(r.matches()).hasSize(20);
        assertThat(r.status()).isEqualTo(Status.OUT_OF_RESOURCES);
    }

    @Test
    void stoppingTheStreamSendsACancel() throws Exception {
        // an endless, slow worklist: only the C-CANCEL can end this query
        TestMapping mapping = TestMapping.standard();
        org.ofsep.mwl.dicom.service.EndlessWorklist endless = new org.ofsep.mwl.dicom.service.EndlessWorklist();
        DicomServer endlessServer = new DicomServer(DicomSettings.defaults().withPort(0).withBindAddress("127.0.0.1").withQueryLimit(0),
                () -> mapping, endless, steps);
        endlessServer.start();
        try (DicomClient c = DicomClient.connect("127.0.0.1", endlessServer.port(), "MR_GE", "MWLGW",
                List.of(UID.MODALITY_WORKLIST_FIND), DicomClient.Options.defaults())) {
            int[] n = {0};
            int status = c.find(UID.MODALITY_WORKLIST_FIND, keys(null), a -> ++n[0] < 2);
            // the SCP may have sent a few more before it saw the C-CANCEL, but it ends with Cancel
            assertThat(status).isEqualTo(Status.CANCEL);
            assertThat(n[0]).isEqualTo(2);
            assertThat(endless.handedOut).isLessThan(1_000_000);
        } finally {
            endlessServer.stop();
        }
    }

    @Test
    void rejectionIsReportedWithItsReason() {
        assertThatThrownBy(() -> DicomClient.connect("127.0.0.1", server.port(), "NOBODY", "MWLGW",
                List.of(UID.VERIFICATION), DicomClient.Options.defaults()))
                .isInstanceOfSatisfying(AssociationRejectedException.class,
                        e -> assertThat(e.rejection().reason()).isEqualTo(AssociateRj.REASON_CALLING_AE_NOT_RECOGNIZED));
    }

    @Test
    void verificationOnlyAssociationCannotFind() throws Exception {
        try (DicomClient c = DicomClient.connect("127.0.0.1", server.port(), "MR_GE", "MWLGW",
                List.of(UID.VERIFICATION, "1.2.840.10008.5.1.4.1.1.2"), DicomClient.Options.defaults())) {
            assertThat(c.contexts()).hasSize(1);
            assertThatThrownBy(() -> c.find(UID.MODALITY_WORKLIST_FIND, keys(null), a -> true))
                    .hasMessageContaining("no accepted presentation context");
        }
    }

    @Test
    void mppsCreateWithoutInstanceUidGetsOneAssignedAndMissingAttributesAreNamed() throws Exception {
        try (DicomClient c = DicomClient.connect("127.0.0.1", server.port(), "MR_GE", "MWLGW",
                List.of(UID.MODALITY_PERFORMED_PROCEDURE_STEP), DicomClient.Options.defaults())) {
            Attributes empty = new Attributes();
            empty.setString(Tag.PerformedProcedureStepStatus, VR.CS, "IN PROGRESS");
            DimseResponse bad = c.nCreate(UID.MODALITY_PERFORMED_PROCEDURE_STEP, "1.2.3.4", empty);
            assertThat(bad.status()).isIn(Status.MISSING_ATTRIBUTE, Status.MISSING_ATTRIBUTE_VALUE);
            assertThat(bad.command().getTags(org.ofsep.mwl.dicom.dimse.Command.ATTRIBUTE_IDENTIFIER_LIST)).isNotEmpty();
            DimseResponse unknown = c.nSet(UID.MODALITY_PERFORMED_PROCEDURE_STEP, "9.9.9", empty);
            assertThat(unknown.status()).isEqualTo(Status.NO_SUCH_SOP_INSTANCE);
            assertThat(unknown.command().getString(org.ofsep.mwl.dicom.dimse.Command.AFFECTED_SOP_INSTANCE_UID)).isEqualTo("9.9.9");
        }
    }

    @Test
    void peerWithUnlimitedPduLengthGetsUnfragmentedResponses() throws Exception {
        worklist.add(InMemoryWorklist.withCodes(InMemoryWorklist.item("BIG", "PBIG", "BIG^ONE", "MR_CANON", DAY.plusDays(5), null), 300));
        try (DicomClient c = DicomClient.connect("127.0.0.1", server.port(), "MR_CANON", "MWLGW",
                List.of(UID.MODALITY_WORKLIST_FIND), DicomClient.Options.defaults().withMaxPduLength(0))) {
            Attributes k = keys("MR_CANON");
            k.getItem(Tag.ScheduledProcedureStepSequence, 0).newSequence(Tag.ScheduledProtocolCodeSequence);
            List<Attributes> got = new ArrayList<>();
            assertThat(c.find(UID.MODALITY_WORKLIST_FIND, k, got::add)).isEqualTo(Status.SUCCESS);
            assertThat(got).hasSize(1);
            assertThat(got.get(0).getItem(Tag.ScheduledProcedureStepSequence, 0).getSequence(Tag.ScheduledProtocolCodeSequence)).hasSize(300);
        }
    }
}
