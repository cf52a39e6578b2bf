package org.ofsep.mwl.dicom.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DictionaryTest {

    @Test
    void knowsTheGatewaysAttributes() {
        assertThat(ElementDictionary.vrOf(Tag.CommandGroupLength)).isEqualTo(VR.UL);
        assertThat(ElementDictionary.vrOf(Tag.AffectedSOPClassUID)).isEqualTo(VR.UI);
        assertThat(ElementDictionary.vrOf(Tag.ScheduledProcedureStepSequence)).isEqualTo(VR.SQ);
        assertThat(ElementDictionary.vrOf(Tag.ScheduledProtocolCodeSequence)).isEqualTo(VR.SQ);
        assertThat(ElementDictionary.vrOf(Tag.PatientName)).isEqualTo(VR.PN);
        assertThat(ElementDictionary.vrOf(Tag.RequestedContrastAgent)).isEqualTo(VR.LO);
        assertThat(ElementDictionary.vrOf(Tag.MedicalAlerts)).isEqualTo(VR.LO);
        assertThat(ElementDictionary.vrOf(Tag.RequestedProcedureComments)).isEqualTo(VR.LT);
        assertThat(ElementDictionary.vrOf(Tag.PerformedProcedureStepStatus)).isEqualTo(VR.CS);
        assertThat(ElementDictionary.vrOf(Tag.SpecificCharacterSet)).isEqualTo(VR.CS);
        assertThat(ElementDictionary.keywordOf(0x00400100)).isEqualTo("ScheduledProcedureStepSequence");
        assertThat(ElementDictionary.tagOf("PatientID")).isEqualTo(0x00100020);
        // fallbacks
        assertThat(ElementDictionary.vrOf(0x00190000)).isEqualTo(VR.UL);
        assertThat(ElementDictionary.vrOf(0x00190010)).isEqualTo(VR.LO);
        assertThat(ElementDictionary.vrOf(0x00191001)).isEqualTo(VR.UN);
        assertThat(ElementDictionary.vrOf(0x60023000)).isEqualTo(VR.OW);
    }

    /** The generated dictionary agrees with every exact-tag entry of dcmtk's dicom.dic, when installed. */
    @Test
    void agreesWithDcmtksDictionary() throws Exception {
        Path dic = Path.of("/usr/share/libdcmtk17/dicom.dic");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(dic), "dcmtk dictionary not installed");
        Pattern p = Pattern.compile("^\\(([0-9A-F]{4}),([0-9A-F]{4})\\)\\t+([A-Za-z]{2})\\t+(\\w+)\\t.*DICOM.*$");
        int checked = 0;
        for (String line : Files.readAllLines(dic)) {
            Matcher m = p.matcher(line);
            if (!m.matches() || m.group(1).equals("FFFE")) {
                continue;
            }
            int tag = Integer.parseInt(m.group(1), 16) << 16 | Integer.parseInt(m.group(2), 16);
            VR expected = VR.fromCode(m.group(3));
            if (expected == null) {
                continue; // dcmtk pseudo-VR (xs, ox...)
            }
            assertThat(ElementDictionary.vrOf(tag)).as(line).isEqualTo(expected);
            assertThat(ElementDictionary.keywordOf(tag)).as(line).isEqualTo(m.group(4).replace("RETIRED_", ""));
            checked++;
        }
        assertThat(checked).isGreaterThan(4000);
    }
}
