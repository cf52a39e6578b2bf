package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ofsep.mwl.app.support.MllpClient.field;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.Dcmtk;
import org.ofsep.mwl.app.support.MllpClient;
import org.ofsep.mwl.app.support.TestGateway;

/**
 * Issue 12 end to end: orders of the clinical corpus (corpus/orders, written as RIS and clinicians write them: free
 * text in OBR-13 in French or English, LOINC observations with UCUM units, ISO 8859-1 or UTF-8) sent over MLLP to a
 * running gateway, and what the console then reads with dcmtk's findscu: the exam card chosen from the text, and
 * the safety alerts in Medical Alerts (0010,2000), raised for eGFR, creatinine and pregnancy in standard form and
 * never for a negated mention. The expected decisions are those of corpus/expected.tsv.
 */
class RealOrdersEndToEndTest {

    @TempDir
    Path work;

    private static void send(TestGateway gw, String file) throws Exception {
        byte[] bytes = Files.readAllBytes(Path.of("../corpus/orders", file));
        Charset charset = new String(bytes, StandardCharsets.ISO_8859_1).contains("|8859/1")
                ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8;
        try (MllpClient client = new MllpClient("127.0.0.1", gw.config.hl7.port)) {
            String ack = client.send(new String(bytes, charset), charset);
            assertThat(field(ack, "MSA", 1)).as(file + ": " + ack).isEqualTo("AA");
        }
    }

    private Dcmtk.Response console(TestGateway gw, String accession) throws Exception {
        List<Dcmtk.Response> r = Dcmtk.worklist(work, "MR_SIEMENS", "MWLGW", gw.config.dicom.port,
                List.of("0008,0050=" + accession, "0040,0100[0].0040,0008[0].0008,0100", "0040,0100[0].0032,1070",
                        "0010,2000"));
        assertThat(r).as("worklist answers for " + accession).hasSize(1);
        return r.get(0);
    }

    @Test
    void ordersWrittenAsCliniciansWriteThemReachTheConsoleWithTheRightCardAndAlerts() throws Exception {
        try (TestGateway gw = new TestGateway(work).start()) {
            for (String f : List.of("c08-en25-en.hl7", "c11-fr25-fr.hl7", "c38-xplore-fr.hl7", "c39-en25-en.hl7",
                    "c47-en25-en.hl7", "c48-fr25-fr.hl7", "c51-en25-en.hl7", "c53-xplore-fr.hl7", "c54-en25-en.hl7")) {
                send(gw, f);
            }
            // stable patients whose order names a previous MRI with 3D FLAIR in its text: ROUTINE without Gd
            for (String acc : List.of("ACC9007", "ACC9010")) {
                Dcmtk.Response r = console(gw, acc);
                assertThat(r.get("0040,0100/0040,0008/0008,0100")).as(acc).isEqualTo("OFSEP_ROUTINE");
                assertThat(r.get("0040,0100/0032,1070")).as(acc).isNullOrEmpty();
            }
            // natalizumab past 18 months, JCV positive in the text (ISO 8859-1, French; UTF-8, English): PML card
            for (String acc : List.of("ACC9037", "ACC9038")) {
                assertThat(console(gw, acc).get("0040,0100/0040,0008/0008,0100")).as(acc).isEqualTo("OFSEP_PML");
            }
            // eGFR as LOINC 62238-1, and computed with CKD-EPI 2021 from a creatinine in umol/L: the renal alert
            assertThat(console(gw, "ACC9046").get("0010,2000")).contains("eGFR 24 < 30");
            assertThat(console(gw, "ACC9047").get("0010,2000")).contains("eGFR 17 < 30");
            // pregnancy as LOINC 82810-3: the pregnancy alert; denied in French or English: no pregnancy alert
            assertThat(console(gw, "ACC9050").get("0010,2000")).contains("Gd in pregnancy");
            for (String acc : List.of("ACC9052", "ACC9053")) {
                String alerts = console(gw, acc).get("0010,2000");
                assertThat(alerts == null ? "" : alerts).as(acc).doesNotContainIgnoringCase("pregnan")
                        .doesNotContainIgnoringCase("eGFR");
            }
        }
    }
}
