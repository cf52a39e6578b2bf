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
    /** dcmtk's dicom.dic (scripts/test.sh installs dcmtk; libdcmtk17 is dcmtk 3.6.7 on Debian 12). */
    static Path dcmtkDictionary() throws java.io.IOException {
        Path preferred = Path.of("/usr/share/libdcmtk17/dicom.dic");
        if (Files.exists(preferred)) {
            return preferred;
        }
        try (var dirs = Files.list(Path.of("/usr/share"))) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("libdcmtk"))
                    .map(d -> d.resolve("dicom.dic")).filter(Files::exists).findFirst()
                    .orElseThrow(() -> new AssertionError("dcmtk's dicom.dic not found: run scripts/test.sh, "
                            + "which installs dcmtk"));
        }
    }

    @Test
    void agreesWithDcmtksDictionary() throws Exception {
        Path dic = dcmtkDictionary();
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

    /** The committed Tag.java and dictionary.tsv are exactly what the generator makes from dcmtk's dicom.dic. */
    @Test
    void generatedSourcesAreUpToDate(@org.junit.jupiter.api.io.TempDir Path out) throws Exception {
        Path dic = dcmtkDictionary();
        Path module = Path.of("").toAbsolutePath(); // surefire runs in the module directory
        Path launcher = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(launcher.toString(), module.resolve("src/build/GenerateDictionary.java").toString(),
                dic.toString(), out.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        for (String f : new String[] {"src/main/java/org/ofsep/mwl/dicom/data/Tag.java",
                "src/main/resources/org/ofsep/mwl/dicom/data/dictionary.tsv"}) {
            assertThat(Files.readString(out.resolve(f))).as(f + " is stale: regenerate it (see GenerateDictionary)")
                    .isEqualTo(Files.readString(module.resolve(f)));
        }
    }
}
