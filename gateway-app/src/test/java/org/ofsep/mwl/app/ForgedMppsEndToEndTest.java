package org.ofsep.mwl.app;

import org.ofsep.mwl.app.support.MppsMessages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.ofsep.mwl.app.support.MllpClient.field;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.MllpClient;
import org.ofsep.mwl.app.support.TestGateway;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.data.UID;
import org.ofsep.mwl.dicom.data.VR;
import org.ofsep.mwl.dicom.dimse.Command;
import org.ofsep.mwl.dicom.scu.DicomClient;
import org.ofsep.mwl.dicom.scu.DimseResponse;

/**
 * Issue 17.4 against the real gateway: a configured console cannot report an exam as another console (0x0106 on
 * Performed Station AE Title) nor complete or discontinue an MPPS another console created (0x0110); a forged
 * COMPLETED therefore neither removes the item, nor counts a Gd injection, nor turns the next order into ROUTINE.
 * The real console's own reports are served as before.
 */
class ForgedMppsEndToEndTest {

    @Test
    void aConsoleCanReportOnlyItsOwnExams(@TempDir Path work) throws Exception {
        try (TestGateway gw = new TestGateway(work)) {
            gw.start();
            String ack = send(gw, "MSG-F-1", "PLF3001", "ACC3001");
            assertThat(field(ack, "MSA", 1)).as(ack).isEqualTo("AA");
            WorklistItem item = gw.gateway().worklist().findByAccession("ACC3001").get(0);
            int port = gw.config.dicom.port;

            try (DicomClient forger = client(port, "MR_GE"); DicomClient siemens = client(port, "MR_SIEMENS")) {
                // MR_GE claims to be the Siemens console
                DimseResponse forged = forger.nCreate(UID.MODALITY_PERFORMED_PROCEDURE_STEP, "2.25.31001",
                        inProgress(item, "MR_SIEMENS"));
                assertThat(forged.status()).isEqualTo(0x0106);
                assertThat(forged.command().getString(Command.ERROR_COMMENT)).contains("Performed Station AE Title");
                assertThat(gw.gateway().worklist().findByAccession("ACC3001").get(0).status())
                        .isEqualTo(SpsStatus.SCHEDULED);

                // an Affected SOP Instance UID that is not a UID (over 64 characters: an internal error with a stack
                // trace before; letters: kept) is refused with 0x0117, nothing started
                for (String bad : List.of("2.25." + "1".repeat(70), "not-a-uid", "1..2")) {
                    DimseResponse refused = siemens.nCreate(UID.MODALITY_PERFORMED_PROCEDURE_STEP, bad,
                            inProgress(item, "MR_SIEMENS"));
                    assertThat(refused.status()).as(bad).isEqualTo(0x0117);
                }
                assertThat(gw.gateway().worklist().findByAccession("ACC3001").get(0).status())
                        .isEqualTo(SpsStatus.SCHEDULED);

                // the Siemens console starts the exam; MR_GE tries to complete it, then to discontinue it
                assertThat(siemens.nCreate(UID.MODALITY_PERFORMED_PROCEDURE_STEP, "2.25.31002",
                        inProgress(item, "MR_SIEMENS")).status()).isZero();
                for (String status : List.of("COMPLETED", "DISCONTINUED")) {
                    DimseResponse hijack = forger.nSet(UID.MODALITY_PERFORMED_PROCEDURE_STEP, "2.25.31002", end(status));
                    assertThat(hijack.status()).as(status).isEqualTo(0x0110);
                    assertThat(hijack.command().getString(Command.ERROR_COMMENT)).contains("another AE");
                }
                assertThat(gw.gateway().worklist().findByAccession("ACC3001").get(0).status())
                        .isEqualTo(SpsStatus.STARTED);
                assertThat(gw.gateway().worklist().history("PAT2001")).isEmpty(); // no Gd counted, no prior

                // the real console completes its own exam
                assertThat(siemens.nSet(UID.MODALITY_PERFORMED_PROCEDURE_STEP, "2.25.31002", end("COMPLETED"))
                        .status()).isZero();
                siemens.release();
                forger.release();
            }
            assertThat(gw.gateway().worklist().findByAccession("ACC3001").get(0).status())
                    .isEqualTo(SpsStatus.COMPLETED);
            assertThat(gw.gateway().worklist().history("PAT2001")).hasSize(1);
        }
    }

    private static DicomClient client(int port, String ae) throws Exception {
        return DicomClient.connect("127.0.0.1", port, ae, "MWLGW", List.of(UID.MODALITY_PERFORMED_PROCEDURE_STEP),
                DicomClient.Options.defaults());
    }

    private static String send(TestGateway gw, String id, String placer, String accession) throws Exception {
        String msg = TestGateway.message("/e2e/orm-followup-no-prior.hl7").replace("{{ID}}", id)
                .replace("{{PLACER}}", placer).replace("{{ACC}}", accession);
        try (MllpClient client = new MllpClient("127.0.0.1", gw.config.hl7.port)) {
            return client.send(msg, StandardCharsets.UTF_8);
        }
    }

    private static Attributes end(String status) {
        Attributes done = new Attributes();
        done.setString(Tag.PerformedProcedureStepStatus, VR.CS, status);
        done.setString(Tag.PerformedProcedureStepEndDate, VR.DA, LocalDate.now().format(DateTimeFormatter.BASIC_ISO_DATE));
        done.setString(Tag.PerformedProcedureStepEndTime, VR.TM, "143000");
        return done;
    }

    private static Attributes inProgress(WorklistItem item, String performedStation) {
        return MppsMessages.withFullGdProtocol(MppsMessages.inProgress(item, performedStation, LocalDate.now(),
                "140000"));
    }
}
