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
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.MllpClient;
import org.ofsep.mwl.app.support.MppsMessages;
import org.ofsep.mwl.app.support.TestGateway;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.PriorExam;
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
