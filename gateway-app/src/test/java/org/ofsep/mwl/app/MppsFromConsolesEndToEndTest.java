package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ofsep.mwl.app.support.MllpClient.field;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.Dcmtk;
import org.ofsep.mwl.app.support.FakeRis;
import org.ofsep.mwl.app.support.MllpClient;
import org.ofsep.mwl.app.support.MppsMessages;
import org.ofsep.mwl.app.support.TestGateway;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.data.UID;
import org.ofsep.mwl.dicom.data.VR;
import org.ofsep.mwl.dicom.scu.DicomClient;

/** MPPS as consoles really send it, through the running gateway (found by an independent tester). */
class MppsFromConsolesEndToEndTest {

    /**
     * The Philips console reports only its own ExamCard code, OFSEP_FULL (99PHILIPS), for an exam scheduled FULL with
     * Gd: the history and the Gd report say FULL without Gd. The history said Gd with the planned 6.5 mmol (only
     * 99OFSEP codes were read), so the report counted an injection never given.
     */
    @Test
    void aVendorsOwnPerformedCodeIsWhatTheHistoryAndTheGdReportSay(@TempDir Path work) throws Exception {
        try (TestGateway gw = new TestGateway(work)) {
            gw.start();
            String ack = send(gw, "MSG-V-1", "PLC3001", "ACC3001", "IRM3");
            assertThat(field(ack, "MSA", 1)).as(ack).isEqualTo("AA");
            WorklistItem item = gw.gateway().worklist().findByAccession("ACC3001").get(0);
            assertThat(item.stationAeTitle()).isEqualTo("MR_PHILIPS");
            assertThat(item.decision().contrast()).isTrue();

            Attributes created = MppsMessages.inProgress(item, "MR_PHILIPS", LocalDate.now(), "140000");
            Attributes done = completed();
            Attributes code = done.addItem(Tag.PerformedProtocolCodeSequence);
            code.setString(Tag.CodeValue, VR.SH, "OFSEP_FULL");
            code.setString(Tag.CodingSchemeDesignator, VR.SH, "99PHILIPS");
            code.setString(Tag.CodeMeaning, VR.LO, "ExamCard OFSEP Full");
            perform(gw, "MR_PHILIPS", "2.25.3001", created, done);

            assertThat(gw.gateway().worklist().history("PAT2001")).containsExactly(new PriorExam("PAT2001",
                    LocalDate.now(), ExamCard.FULL, false, null, false, "ACC3001"));
            JsonNode gd = gdReport(gw);
            assertThat(gd.get("exams").asInt()).isEqualTo(1);
            assertThat(gd.get("byCard").get("FULL").asInt()).isEqualTo(1);
            assertThat(gd.get("injectionsGiven").asInt()).isZero();
            assertThat(gd.get("totalGdMmol").asDouble()).isZero();
        }
    }

    /**
     * A console leaves the SPS ID empty (Type 2) but names the study the worklist gave it and its accession: the
     * step starts (off the worklist), completes, the RIS hears IP then CM, and the exam enters the history. It was
     * taken as unscheduled: the step stayed SCHEDULED on every worklist, nothing reached the RIS or the history.
     */
    @Test
    void anMppsWithoutSpsIdNamesItsStepByItsStudy(@TempDir Path work) throws Exception {
        try (FakeRis ris = new FakeRis(); TestGateway gw = new TestGateway(work)) {
            gw.config.hl7.ris.enabled = true;
            gw.config.hl7.ris.host = "127.0.0.1";
            gw.config.hl7.ris.port = ris.port();
            gw.config.hl7.ris.pollIntervalMillis = 100;
            gw.start();
            String ack = send(gw, "MSG-S-1", "PLC3002", "ACC3002", "IRM1");
            assertThat(field(ack, "MSA", 1)).as(ack).isEqualTo("AA");
            WorklistItem item = gw.gateway().worklist().findByAccession("ACC3002").get(0);

            Attributes created = MppsMessages.withFullGdProtocol(
                    MppsMessages.inProgress(item, "MR_SIEMENS", LocalDate.now(), "140000"));
            created.getItem(Tag.ScheduledStepAttributesSequence, 0).setEmpty(Tag.ScheduledProcedureStepID, VR.SH);
            try (DicomClient console = DicomClient.connect("127.0.0.1", gw.config.dicom.port, "MR_SIEMENS", "MWLGW",
                    List.of(UID.MODALITY_PERFORMED_PROCEDURE_STEP), DicomClient.Options.defaults())) {
                assertThat(console.nCreate(UID.MODALITY_PERFORMED_PROCEDURE_STEP, "2.25.3002", created).status())
                        .isZero();
                assertThat(gw.gateway().worklist().findByAccession("ACC3002").get(0).status())
                        .isEqualTo(SpsStatus.STARTED);
                // a started step leaves the worklist
                assertThat(Dcmtk.worklist(work, "MR_SIEMENS", "MWLGW", gw.config.dicom.port,
                        List.of("0008,0050=ACC3002"))).isEmpty();
                assertThat(console.nSet(UID.MODALITY_PERFORMED_PROCEDURE_STEP, "2.25.3002", completed()).status())
                        .isZero();
                console.release();
            }
            assertThat(gw.gateway().worklist().findByAccession("ACC3002").get(0).status())
                    .isEqualTo(SpsStatus.COMPLETED);
            assertThat(gw.gateway().worklist().history("PAT2001")).containsExactly(new PriorExam("PAT2001",
                    LocalDate.now(), ExamCard.FULL, true, 6.5, false, "ACC3002"));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (ris.received.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(ris.received).extracting(m -> field(m, "ORC", 5)).containsExactly("IP", "CM");
            assertThat(ris.received.get(0)).contains("PLC3002");
        }
    }

    /**
     * The same from an independent peer (dcmjs-dimse, as the tester used), in the group case: one N-CREATE naming two
     * steps of the patient by their studies and accessions, both SPS IDs empty, then N-SET COMPLETED: both steps
     * complete.
     */
    @Test
    void dcmjsDimseNamesTwoStepsByTheirStudiesWithoutSpsIds(@TempDir Path work) throws Exception {
        try (TestGateway gw = new TestGateway(work)) {
            gw.start();
            assertThat(field(send(gw, "MSG-S-2", "PLC3003", "ACC3003", "IRM1"), "MSA", 1)).isEqualTo("AA");
            assertThat(field(send(gw, "MSG-S-3", "PLC3004", "ACC3004", "IRM1"), "MSA", 1)).isEqualTo("AA");
            WorklistItem a = gw.gateway().worklist().findByAccession("ACC3003").get(0);
            WorklistItem b = gw.gateway().worklist().findByAccession("ACC3004").get(0);
            JsonNode r = Issue16EndToEndTest.node("mpps-group.js", String.valueOf(gw.config.dicom.port), "MR_SIEMENS",
                    "MWLGW", "PAT2001", "COMPLETED", "", "ACC3003", a.studyInstanceUid(), "", "ACC3004",
                    b.studyInstanceUid());
            assertThat(r.get("statuses")).hasSize(2).allSatisfy(st -> assertThat(st.asInt()).isZero());
            assertThat(gw.gateway().worklist().findByAccession("ACC3003").get(0).status())
                    .isEqualTo(SpsStatus.COMPLETED);
            assertThat(gw.gateway().worklist().findByAccession("ACC3004").get(0).status())
                    .isEqualTo(SpsStatus.COMPLETED);
        }
    }

    static String send(TestGateway gw, String id, String placer, String accession, String room) throws Exception {
        String msg = TestGateway.message("/e2e/orm-followup-no-prior.hl7").replace("{{ID}}", id)
                .replace("{{PLACER}}", placer).replace("{{ACC}}", accession).replace("IRM1", room);
        try (MllpClient client = new MllpClient("127.0.0.1", gw.config.hl7.port)) {
            return client.send(msg, StandardCharsets.UTF_8);
        }
    }

    /** The N-SET that ends the exam now. */
    static Attributes completed() {
        Attributes done = new Attributes();
        done.setString(Tag.PerformedProcedureStepStatus, VR.CS, "COMPLETED");
        done.setString(Tag.PerformedProcedureStepEndDate, VR.DA,
                LocalDate.now().format(DateTimeFormatter.BASIC_ISO_DATE));
        done.setString(Tag.PerformedProcedureStepEndTime, VR.TM, "143000");
        return done;
    }

    /** The console's N-CREATE, then its N-SET; both answered Success. */
    static void perform(TestGateway gw, String station, String mppsUid, Attributes created, Attributes done)
            throws Exception {
        try (DicomClient console = DicomClient.connect("127.0.0.1", gw.config.dicom.port, station, "MWLGW",
                List.of(UID.MODALITY_PERFORMED_PROCEDURE_STEP), DicomClient.Options.defaults())) {
            assertThat(console.nCreate(UID.MODALITY_PERFORMED_PROCEDURE_STEP, mppsUid, created).status()).isZero();
            assertThat(console.nSet(UID.MODALITY_PERFORMED_PROCEDURE_STEP, mppsUid, done).status()).isZero();
            console.release();
        }
    }

    static JsonNode gdReport(TestGateway gw) throws Exception {
        String report = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gw.config.http.port + "/api/report/gd")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return new ObjectMapper().readTree(report);
    }
}
