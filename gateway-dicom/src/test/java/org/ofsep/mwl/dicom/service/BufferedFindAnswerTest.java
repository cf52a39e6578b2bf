package org.ofsep.mwl.dicom.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.store.WorklistStore;
import org.ofsep.mwl.dicom.DicomServer;
import org.ofsep.mwl.dicom.DicomSettings;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.data.UID;
import org.ofsep.mwl.dicom.dimse.Status;
import org.ofsep.mwl.dicom.net.TestMapping;
import org.ofsep.mwl.dicom.scu.DicomClient;

/**
 * The C-FIND answer goes out with its pending responses buffered several to a socket write: every response must
 * still arrive whole and in order, within the requestor's maximum PDU length, and a C-CANCEL sent while a long
 * answer streams must still stop it.
 */
class BufferedFindAnswerTest {

    private static final LocalDateTime DAY = LocalDateTime.of(2026, 11, 25, 0, 0);
    private DicomServer server;

    private DicomServer start(WorklistStore store) throws Exception {
        TestMapping mapping = TestMapping.standard();
        server = new DicomServer(DicomSettings.defaults().withPort(0).withBindAddress("127.0.0.1").withQueryLimit(0)
                .withArtimTimeout(Duration.ofSeconds(1)), () -> mapping, store, new InMemoryPerformedSteps());
        server.start();
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private static Attributes keys() {
        Attributes k = new Attributes();
        k.setEmpty(Tag.PatientName);
        k.setEmpty(Tag.PatientID);
        k.setEmpty(Tag.MedicalAlerts);
        k.setEmpty(Tag.RequestedProcedureDescription);
        Attributes sps = k.addItem(Tag.ScheduledProcedureStepSequence);
        sps.setString(Tag.ScheduledStationAETitle, "MR_GE");
        sps.setEmpty(Tag.ScheduledProcedureStepID);
        sps.setEmpty(Tag.ScheduledProcedureStepStartDate);
        sps.setEmpty(Tag.ScheduledProcedureStepStartTime);
        sps.setEmpty(Tag.ScheduledProtocolCodeSequence);
        return k;
    }

    @Test
    void aLongAnswerArrivesWholeAndInOrderInSmallPdus() throws Exception {
        InMemoryWorklist worklist = new InMemoryWorklist();
        int count = 600;
        for (int i = 0; i < count; i++) {
            worklist.add(InMemoryWorklist.item(String.format("S%04d", i), "P" + i, "NAME^" + i, "MR_GE",
                    DAY.plusMinutes(i), null));
        }
        start(worklist);
        // 1 KiB PDUs: every response is split in several P-DATA-TF, many of them per socket write. The client
        // aborts on any PDU longer than it advertised.
        for (long maxPdu : new long[] {1024, 16384, 0}) {
            try (DicomClient c = DicomClient.connect("127.0.0.1", server.port(), "MR_GE", "MWLGW",
                    List.of(UID.MODALITY_WORKLIST_FIND), DicomClient.Options.defaults().withMaxPduLength(maxPdu))) {
                for (int round = 0; round < 2; round++) { // the same association serves a second query alike
                    List<Attributes> got = new ArrayList<>();
                    assertThat(c.find(UID.MODALITY_WORKLIST_FIND, keys(), got::add)).isEqualTo(Status.SUCCESS);
                    assertThat(got).hasSize(count);
                    for (int i = 0; i < count; i++) {
                        Attributes sps = got.get(i).getItem(Tag.ScheduledProcedureStepSequence, 0);
                        assertThat(sps.getString(Tag.ScheduledProcedureStepID)).isEqualTo(String.format("S%04d", i));
                        assertThat(got.get(i).getString(Tag.PatientName)).isEqualTo("NAME^" + i);
                        assertThat(sps.getSequence(Tag.ScheduledProtocolCodeSequence)).isNotEmpty();
                    }
                }
            }
        }
    }

    @Test
    void aCancelStopsAFastLongAnswer() throws Exception {
        // no pause between items: the SCP fills its output buffer as fast as it can; only the C-CANCEL can end
        // this query before its million items
        EndlessWorklist endless = new EndlessWorklist(0);
        start(endless);
        try (DicomClient c = DicomClient.connect("127.0.0.1", server.port(), "MR_GE", "MWLGW",
                List.of(UID.VERIFICATION, UID.MODALITY_WORKLIST_FIND), DicomClient.Options.defaults())) {
            int[] seen = {0};
            int status = c.find(UID.MODALITY_WORKLIST_FIND, keys(), a -> ++seen[0] < 5);
            assertThat(status).isEqualTo(Status.CANCEL);
            assertThat(seen[0]).isEqualTo(5);
            assertThat(endless.handedOut).isLessThan(1_000_000);
            // the association is still in step: the next operation gets its own answer
            assertThat(c.echo()).isEqualTo(Status.SUCCESS);
            List<Attributes> again = new ArrayList<>();
            assertThat(c.find(UID.MODALITY_WORKLIST_FIND, keys(), a -> again.add(a) && again.size() < 3))
                    .isEqualTo(Status.CANCEL);
            assertThat(again).hasSize(3);
        }
    }
}
