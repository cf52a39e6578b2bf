package org.ofsep.mwl.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.domain.PerformedStep;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.core.store.WorklistQuery;
import org.ofsep.mwl.core.store.WorklistStore;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.mpps.MppsMapper;
import org.ofsep.mwl.dicom.net.Peers;
import org.ofsep.mwl.dicom.net.TestMapping;
import org.ofsep.mwl.dicom.service.InMemoryPerformedSteps;
import org.ofsep.mwl.dicom.service.InMemoryWorklist;

/** dcmjs-dimse (npm), a second independent peer: C-FIND, C-CANCEL, MPPS N-CREATE/N-SET. */
class DcmjsDimseInteropTest {

    private static final LocalDateTime DAY = LocalDateTime.of(2026, 11, 25, 0, 0);
    private DicomServer server;

    private DicomServer start(WorklistStore store, InMemoryPerformedSteps steps) throws Exception {
        TestMapping mapping = TestMapping.standard();
        server = new DicomServer(DicomSettings.defaults().withPort(0).withBindAddress("127.0.0.1")
                .withArtimTimeout(Duration.ofSeconds(2)).withQueryLimit(0), () -> mapping, store, steps);
        server.start();
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private static JsonNode result(Peers.Result r) throws Exception {
        assertThat(r.exitCode()).as(r.output()).isZero();
        String line = r.output().lines().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new AssertionError("no result from the node script:\n" + r.output()));
        return new ObjectMapper().readTree(line.substring(7));
    }

    private String port() {
        return Integer.toString(server.port());
    }

    @Test
    void worklistFindWithStationAndDateKeys() throws Exception {
        InMemoryWorklist wl = new InMemoryWorklist();
        wl.add(InMemoryWorklist.item("SPS1", "PAT1", "DUPRÉ^HÉLÈNE", "MR_GE", DAY.withHour(8), "ISO_IR 192"));
        wl.add(InMemoryWorklist.item("SPS2", "PAT2", "MARTIN^JEAN", "MR_SIEMENS", DAY.withHour(9), null));
        wl.add(InMemoryWorklist.item("SPS3", "PAT3", "DURAND^LUC", "MR_GE", DAY.plusDays(2).withHour(9), null));
        start(wl, new InMemoryPerformedSteps());
        JsonNode r = result(Peers.node("mwl-find.js", port(), "MR_GE", "MWLGW",
                "{\"PatientName\":\"\",\"PatientID\":\"\",\"ScheduledProcedureStepSequence\":[{"
                        + "\"ScheduledStationAETitle\":\"MR_GE\",\"ScheduledProcedureStepStartDate\":\"20261125\","
                        + "\"ScheduledProcedureStepID\":\"\",\"ScheduledProtocolCodeSequence\":[{\"CodeValue\":\"\"}]}]}"));
        assertThat(r.get("matches")).hasSize(1);
        JsonNode m = r.get("matches").get(0);
        assertThat(m.get("PatientID").asText()).isEqualTo("PAT1");
        assertThat(m.get("PatientName").get(0).get("Alphabetic").asText()).isEqualTo("DUPRÉ^HÉLÈNE");
        JsonNode sps = m.get("ScheduledProcedureStepSequence").get(0);
        assertThat(sps.get("ScheduledProcedureStepID").asText()).isEqualTo("SPS1");
        assertThat(sps.get("ScheduledProtocolCodeSequence").get(0).get("CodeValue").asText()).isEqualTo("GE_MS_ROUTINE");
        List<Integer> statuses = new ArrayList<>();
        r.get("statuses").forEach(s -> statuses.add(s.asInt()));
        assertThat(statuses).containsExactly(0xFF00, 0x0000);
    }

    @Test
    void libraryDefaultWorklistKeysGetPendingWithWarning() throws Exception {
        InMemoryWorklist wl = new InMemoryWorklist();
        wl.add(InMemoryWorklist.item("SPS1", "PAT1", "DUPRÉ^HÉLÈNE", "MR_GE", DAY.withHour(8), "ISO_IR 100"));
        wl.add(InMemoryWorklist.item("SPS2", "PAT2", "MARTIN^JEAN", "MR_SIEMENS", DAY.withHour(9), null));
        start(wl, new InMemoryPerformedSteps());
        JsonNode r = result(Peers.node("mwl-find-library-defaults.js", port(), "MR_GE", "MWLGW",
                "{\"ScheduledProcedureStepSequence\":[{\"ScheduledStationAETitle\":\"MR_GE\",\"ScheduledProcedureStepID\":\"\","
                        + "\"Modality\":\"\",\"ScheduledProcedureStepStartDate\":\"\"}]}"));
        assertThat(r.get("matches")).hasSize(1);
        JsonNode m = r.get("matches").get(0);
        assertThat(m.get("PatientName").get(0).get("Alphabetic").asText()).isEqualTo("DUPRÉ^HÉLÈNE");
        assertThat(m.get("AccessionNumber").asText()).isEqualTo("ACCSPS1");
        assertThat(m.get("ScheduledProcedureStepSequence").get(0).get("Modality").asText()).isEqualTo("MR");
        List<Integer> statuses = new ArrayList<>();
        r.get("statuses").forEach(s -> statuses.add(s.asInt()));
        // the library asks keys we do not support (e.g. Patient State): matches come as 0xFF01, then Success
        assertThat(statuses).containsExactly(0xFF01, 0x0000);
    }

    @Test
    void cCancelStopsARunningQuery() throws Exception {
        org.ofsep.mwl.dicom.service.EndlessWorklist wl = new org.ofsep.mwl.dicom.service.EndlessWorklist();
        start(wl, new InMemoryPerformedSteps());
        JsonNode r = result(Peers.node("mwl-cancel.js", port(), "MR_GE", "MWLGW"));
        assertThat(r.get("final").asInt()).isEqualTo(0xFE00);
        assertThat(r.get("pending").asInt()).isGreaterThanOrEqualTo(1).isLessThan(1_000_000);
        assertThat(wl.handedOut).isLessThan(1_000_000);
    }

    @Test
    void mppsInProgressThenCompletedAndTheRefusals() throws Exception {
        InMemoryWorklist wl = new InMemoryWorklist();
        WorklistItem item = InMemoryWorklist.item("SPS9", "PAT9", "DUPRÉ^HÉLÈNE", "MR_GE", DAY.withHour(9), "ISO_IR 192");
        wl.add(item);
        InMemoryPerformedSteps steps = new InMemoryPerformedSteps();
        start(wl, steps);
        JsonNode r = result(Peers.node("mpps.js", port(), "MR_GE", "MWLGW", "SPS9", item.accessionNumber(), "PAT9",
                item.studyInstanceUid()));
        List<Integer> statuses = new ArrayList<>();
        r.get("statuses").forEach(s -> statuses.add(s.asInt()));
        assertThat(statuses).containsExactly(0x0000, 0x0111, 0x0000, 0x0110, 0x0112);
        assertThat(r.get("comments").get(3).asText()).isEqualTo("Performed Procedure Step Object may no longer be updated");

        PerformedStep done = steps.find(r.get("uid").asText()).orElseThrow();
        assertThat(done.status()).isEqualTo("COMPLETED");
        assertThat(done.scheduledStepIds()).containsExactly("SPS9");
        assertThat(done.accessionNumber()).isEqualTo(item.accessionNumber());
        assertThat(done.performedStationAeTitle()).isEqualTo("MR_GE");
        assertThat(done.performedProtocolCodes()).extracting(c -> c.value()).containsExactly("OFSEP_ROUTINE");
        Attributes stored = MppsMapper.decode(done.dataset());
        assertThat(stored.getString(Tag.PatientName)).isEqualTo("DUPRÉ^HÉLÈNE");
        assertThat(stored.getString(Tag.PerformedProcedureStepEndTime)).isEqualTo("100500");
        assertThat(steps.calls).containsExactly("create IN PROGRESS", "create IN PROGRESS", "update COMPLETED");
    }

    @Test
    void mppsNSetMayDeclareACharacterSetTheNCreateDidNotNeed() throws Exception {
        InMemoryWorklist wl = new InMemoryWorklist();
        WorklistItem item = InMemoryWorklist.item("SPS8", "PAT8", "MARTIN^JEAN", "MR_GE", DAY.withHour(9), null);
        wl.add(item);
        InMemoryPerformedSteps steps = new InMemoryPerformedSteps();
        start(wl, steps);
        JsonNode r = result(Peers.node("mpps-charset.js", port(), "MR_GE", "MWLGW", "SPS8", item.accessionNumber(),
                "PAT8", item.studyInstanceUid()));
        List<Integer> statuses = new ArrayList<>();
        r.get("statuses").forEach(s -> statuses.add(s.asInt()));
        // the exam's completion is not refused because its N-SET carries (0008,0005) (Table F.7.2-1: 1C)
        assertThat(statuses).as(r.toString()).containsExactly(0x0000, 0x0000);
        PerformedStep done = steps.find(r.get("uid").asText()).orElseThrow();
        assertThat(done.status()).isEqualTo("COMPLETED");
        Attributes stored = MppsMapper.decode(done.dataset());
        assertThat(stored.getString(Tag.PerformedProcedureStepDescription)).isEqualTo("IRM encéphale SEP");
        assertThat(stored.getString(Tag.SpecificCharacterSet)).isEqualTo("ISO_IR 192");
    }

    @Test
    void unknownStationIsRejected() throws Exception {
        start(new InMemoryWorklist(), new InMemoryPerformedSteps());
        Peers.Result r = Peers.node("mwl-find.js", port(), "UNKNOWN_AE", "MWLGW", "{\"PatientID\":\"\"}");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.output()).contains("association rejected");
    }
}
