package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ofsep.mwl.app.support.MllpClient.field;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ofsep.mwl.app.support.Dcmtk;
import org.ofsep.mwl.app.support.TestGateway;

/** IHE RAD-12 through the real gateway: what the console reads changes as soon as the RIS updates the patient. */
class PatientUpdatesEndToEndTest {

    @Test
    void demographicsUpdateAndMergeReachTheConsoleAtOnce(@TempDir Path work) throws Exception {
        try (TestGateway gw = new TestGateway(work).start()) {
            int port = gw.config.dicom.port;
            assertThat(field(gw.send("/e2e/orm-utf8-diagnosis.hl7", StandardCharsets.UTF_8), "MSA", 1)).isEqualTo("AA");
            assertThat(field(gw.send("/e2e/orm-knee.hl7", StandardCharsets.US_ASCII), "MSA", 1)).isEqualTo("AA");

            // ADT^A08: the new name is what the next query returns
            assertThat(field(gw.send("/e2e/adt-a08-pat1002.hl7", StandardCharsets.UTF_8), "MSA", 1)).isEqualTo("AA");
            List<Dcmtk.Response> renamed = Dcmtk.worklist(work, "MR_PHILIPS", "MWLGW", port,
                    List.of("0008,0050=ACC1002", "0010,0010"));
            assertThat(renamed).extracting(r -> r.get("0010,0010")).containsExactly("DUPRÉ-MARTIN^HÉLÈNE^MARIE");

            // ADT^A40: the item now belongs to the surviving patient ID, the old one is gone
            assertThat(field(gw.send("/e2e/adt-a40-pat1003.hl7", StandardCharsets.US_ASCII), "MSA", 1)).isEqualTo("AA");
            assertThat(Dcmtk.worklist(work, "MR_GE", "MWLGW", port, List.of("0010,0020=PAT9003", "0008,0050")))
                    .extracting(r -> r.get("0008,0050")).containsExactly("ACC1003");
            assertThat(Dcmtk.worklist(work, "MR_GE", "MWLGW", port, List.of("0010,0020=PAT1003"))).isEmpty();
        }
    }
}
