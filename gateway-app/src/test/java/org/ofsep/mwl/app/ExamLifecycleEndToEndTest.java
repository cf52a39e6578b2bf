package org.ofsep.mwl.app;

import org.ofsep.mwl.app.support.MppsMessages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.ofsep.mwl.app.support.MllpClient.field;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.Dcmtk;
import org.ofsep.mwl.app.support.FakeRis;
import org.ofsep.mwl.app.support.MllpClient;
import org.ofsep.mwl.app.support.TestGateway;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.data.UID;
import org.ofsep.mwl.dicom.data.VR;
import org.ofsep.mwl.dicom.scu.DicomClient;
import org.ofsep.mwl.dicom.scu.DimseResponse;

/**
 * The whole exam lifecycle through the real gateway: an MS follow-up order with no comparable prior gets the full
 * Gd protocol; the console reports the exam with MPPS (IN PROGRESS, then COMPLETED); the RIS hears IP and CM; the
 * completed exam becomes the patient's history, so the next follow-up order gets the routine protocol without Gd.
 */
class ExamLifecycleEndToEndTest {

    @Test
    void completedExamBecomesTheComparablePriorAndTheRisHearsTheStatus(@TempDir Path work) throws Exception {
        try (FakeRis ris = new FakeRis(); TestGateway gw = new TestGateway(work)) {
            gw.config.hl7.ris.enabled = true;
            gw.config.hl7.ris.host = "127.0.0.1";
            gw.config.hl7.ris.port = ris.port();
            gw.config.hl7.ris.pollIntervalMillis = 100;
            gw.start();

            String ack = send(gw, "MSG-L-1", "PLC2001", "ACC2001");
            assertThat(field(ack, "MSA", 1)).as(ack).isEqualTo("AA");
            WorklistItem first = gw.gateway().worklist().findByAccession("ACC2001").get(0);
            assertThat(first.decision().rule()).isEqualTo(org.ofsep.mwl.core.domain.RuleId.NO_COMPARABLE_PRIOR);
            assertThat(first.decision().contrast()).isTrue();

            // the Siemens console performs the exam and reports it
            String mppsUid = "2.25.4242424242";
            try (DicomClient console = DicomClient.connect("127.0.0.1", gw.config.dicom.port, "MR_SIEMENS", "MWLGW",
                    List.of(UID.MODALITY_PERFORMED_PROCEDURE_STEP), DicomClient.Options.defaults())) {
                DimseResponse created = console.nCreate(UID.MODALITY_PERFORMED_PROCEDURE_STEP, mppsUid,
                        inProgress(first));
                assertThat(created.status()).isZero();
                Attributes done = new Attributes();
                done.setString(Tag.PerformedProcedureStepStatus, VR.CS, "COMPLETED");
                String now = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd"));
                done.setString(Tag.PerformedProcedureStepEndDate, VR.DA, now);
                done.setString(Tag.PerformedProcedureStepEndTime, VR.TM, "143000");
                assertThat(console.nSet(UID.MODALITY_PERFORMED_PROCEDURE_STEP, mppsUid, done).status()).isZero();
                // no change after COMPLETED (PS3.4 F.7.2.2)
                assertThat(console.nSet(UID.MODALITY_PERFORMED_PROCEDURE_STEP, mppsUid, done).status()).isNotZero();
                console.release();
            }
            assertThat(gw.gateway().worklist().findByAccession("ACC2001").get(0).status())
                    .isEqualTo(SpsStatus.COMPLETED);
            // completed steps leave the worklist
            assertThat(Dcmtk.worklist(work, "MR_SIEMENS", "MWLGW", gw.config.dicom.port,
                    List.of("0008,0050=ACC2001"))).isEmpty();

            // the RIS receives IP then CM for the order, once each, in order
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (ris.received.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(ris.received).hasSize(2);
            assertThat(ris.received).extracting(m -> field(m, "ORC", 1)).containsExactly("SC", "SC");
            assertThat(ris.received).extracting(m -> field(m, "ORC", 5)).containsExactly("IP", "CM");
            assertThat(ris.received.get(0)).contains("PLC2001");

            // the next follow-up of the same patient: the completed OFSEP exam is the comparable prior
            ack = send(gw, "MSG-L-2", "PLC2002", "ACC2002");
            assertThat(field(ack, "MSA", 1)).as(ack).isEqualTo("AA");
            WorklistItem second = gw.gateway().worklist().findByAccession("ACC2002").get(0);
            assertThat(second.decision().contrast()).isFalse();
            assertThat(second.decision().examCard().name()).isEqualTo("ROUTINE");
            assertThat(gw.gateway().worklist().history("PAT2001")).hasSize(1);

            // the Gd report counts the performed exam: one FULL with Gd (65 kg: 6.5 mmol of gadobutrol)
            String report = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + gw.config.http.port + "/api/report/gd")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            com.fasterxml.jackson.databind.JsonNode gd = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(report);
            assertThat(gd.get("exams").asInt()).isEqualTo(1);
            assertThat(gd.get("byCard").get("FULL").asInt()).isEqualTo(1);
            assertThat(gd.get("injectionsGiven").asInt()).isEqualTo(1);
            assertThat(gd.get("totalGdMmol").asDouble()).isEqualTo(6.5);
            assertThat(gd.get("topPatients").get(0).get("patient").asText()).isEqualTo("PAT***01");
        }
    }

    private static String send(TestGateway gw, String id, String placer, String accession) throws Exception {
        String msg = TestGateway.message("/e2e/orm-followup-no-prior.hl7").replace("{{ID}}", id)
                .replace("{{PLACER}}", placer).replace("{{ACC}}", accession);
        try (MllpClient client = new MllpClient("127.0.0.1", gw.config.hl7.port)) {
            return client.send(msg, StandardCharsets.UTF_8);
        }
    }

    private static Attributes inProgress(WorklistItem item) {
        return MppsMessages.withFullGdProtocol(MppsMessages.inProgress(item, "MR_SIEMENS", LocalDate.now(), "140000"));
    }
}
