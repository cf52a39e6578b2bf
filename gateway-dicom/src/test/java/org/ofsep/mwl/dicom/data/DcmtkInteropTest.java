package org.ofsep.mwl.dicom.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ofsep.mwl.dicom.file.Dcmtk;

/**
 * Interoperability of the codec with dcmtk, an independent implementation: datasets dcmtk writes (dump2dcm, from
 * the text dump in test resources) are decoded, and files the codec writes are read back by dcmdump.
 */
class DcmtkInteropTest {

    @TempDir
    Path dir;

    private Path dump(String charsetTerm, java.nio.charset.Charset fileCharset) throws Exception {
        String text = new String(getClass().getResourceAsStream("/dcmtk/mwl-item-utf8.dump").readAllBytes(),
                StandardCharsets.UTF_8).replace("ISO_IR 192", charsetTerm);
        Path p = dir.resolve("item.dump");
        Files.write(p, text.getBytes(fileCharset));
        return p;
    }

    private static void assertItem(Attributes a) {
        assertThat(a.getString(Tag.PatientName)).isEqualTo("DUPRÉ^HÉLÈNE");
        assertThat(a.getString(Tag.PatientID)).isEqualTo("PAT0001");
        assertThat(a.getDouble(Tag.PatientWeight, 0)).isEqualTo(70.5);
        assertThat(a.getStrings(Tag.MedicalAlerts)).containsExactly("eGFR < 30", "Pregnant");
        assertThat(a.getString(Tag.StudyInstanceUID)).isEqualTo("1.2.250.1.59.1.42");
        assertThat(a.getString(Tag.RequestedProcedureDescription)).isEqualTo("IRM encéphale SEP");
        assertThat(a.getString(Tag.RequestedProcedureComments)).isEqualTo("First MRI: full protocol with Gd\\(OFSEP 2020)");
        Attributes sps = a.getItem(Tag.ScheduledProcedureStepSequence, 0);
        assertThat(sps.getString(Tag.ScheduledStationAETitle)).isEqualTo("MR_SIEMENS");
        assertThat(sps.getString(Tag.ScheduledProcedureStepStartDate)).isEqualTo("20261125");
        assertThat(sps.contains(Tag.ScheduledPerformingPhysicianName)).isTrue();
        assertThat(sps.containsValue(Tag.ScheduledPerformingPhysicianName)).isFalse();
        List<Attributes> codes = sps.getSequence(Tag.ScheduledProtocolCodeSequence);
        assertThat(codes).extracting(c -> c.getString(Tag.CodeValue)).containsExactly("SEP_FULL_GD", "OFSEP-FULL-GD");
        assertThat(sps.getString(Tag.ScheduledProcedureStepStatus)).isEqualTo("SCHEDULED");
    }

    @ParameterizedTest(name = "dump2dcm {0} {1}")
    @CsvSource({"+te,+e", "+te,-e", "+ti,+e", "+ti,-e"})
    void decodesPart10FilesWrittenByDcmtk(String syntax, String lengths) throws Exception {
        Path out = dir.resolve("item.dcm");
        Dcmtk.Result r = Dcmtk.run(dir, "dump2dcm", syntax, lengths, dump("ISO_IR 192", StandardCharsets.UTF_8).toString(),
                out.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        DicomFile file = DicomFile.read(out);
        assertThat(file.transferSyntax())
                .isEqualTo(syntax.equals("+te") ? TransferSyntax.EXPLICIT_VR_LE : TransferSyntax.IMPLICIT_VR_LE);
        assertItem(file.dataset());
    }

    @Test
    void decodesABareDatasetWrittenByDcmtkInImplicitVR() throws Exception {
        Path out = dir.resolve("item.ds");
        Dcmtk.Result r = Dcmtk.run(dir, "dump2dcm", "-F", "+ti", "-e",
                dump("ISO_IR 192", StandardCharsets.UTF_8).toString(), out.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertItem(DicomReader.read(Files.readAllBytes(out), TransferSyntax.IMPLICIT_VR_LE));
    }

    @Test
    void decodesLatin1WrittenByDcmtk() throws Exception {
        Path out = dir.resolve("latin1.dcm");
        Dcmtk.Result r = Dcmtk.run(dir, "dump2dcm", "+te", dump("ISO_IR 100", StandardCharsets.ISO_8859_1).toString(),
                out.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        byte[] bytes = Files.readAllBytes(out);
        assertThat(HexFormat.of().formatHex(bytes)).contains("44555052c95e48c94cc84e45"); // DUPRÉ^HÉLÈNE in Latin-1
        assertItem(DicomFile.read(bytes).dataset());
    }

    private Attributes ours(String charset) {
        Attributes a = new Attributes();
        a.setString(Tag.SpecificCharacterSet, VR.CS, charset);
        a.setString(Tag.SOPClassUID, VR.UI, UID.MODALITY_WORKLIST_FIND);
        a.setString(Tag.PatientName, VR.PN, "DUPRÉ^HÉLÈNE");
        a.setString(Tag.PatientID, VR.LO, "PAT1");
        a.setString(Tag.PatientWeight, VR.DS, "70.5");
        a.setEmpty(Tag.PatientBirthDate, VR.DA);
        a.setString(Tag.StudyInstanceUID, VR.UI, "1.2.3.4.5");
        Attributes sps = a.addItem(Tag.ScheduledProcedureStepSequence);
        sps.setString(Tag.ScheduledStationAETitle, VR.AE, "MR_GE");
        sps.setString(Tag.Modality, VR.CS, "MR");
        Attributes code = sps.addItem(Tag.ScheduledProtocolCodeSequence);
        code.setString(Tag.CodeValue, VR.SH, "OFSEP-ROUTINE");
        code.setString(Tag.CodingSchemeDesignator, VR.SH, "99OFSEP");
        code.setString(Tag.CodeMeaning, VR.LO, "OFSEP ROUTINE - sans gadolinium");
        return a;
    }

    @Test
    void dcmdumpReadsOurPart10FileInUtf8() throws Exception {
        Path f = dir.resolve("ours.dcm");
        new DicomFile(DicomFile.createFileMeta(UID.MODALITY_WORKLIST_FIND, "1.2.3.4.5.6",
                TransferSyntax.EXPLICIT_VR_LE), ours("ISO_IR 192")).write(f);
        Dcmtk.Result r = Dcmtk.run(dir, "dcmdump", "-q", "+fo", f.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).isEmpty();
        String out = r.stdoutUtf8();
        assertThat(out).contains("(0002,0002) UI =FINDModalityWorklistInformationModel");
        assertThat(out).contains("(0002,0010) UI =LittleEndianExplicit");
        assertThat(out).containsPattern("\\(0008,0005\\) CS \\[ISO_IR 192\\]");
        assertThat(out).contains("(0010,0010) PN [DUPRÉ^HÉLÈNE]");
        assertThat(out).containsPattern("\\(0010,0010\\) PN \\[DUPRÉ\\^HÉLÈNE\\] +# +16, 1 PatientName");
        assertThat(out).containsPattern("\\(0010,0030\\) DA \\(no value available\\) +# +0, 0 PatientBirthDate");
        assertThat(out).containsPattern("\\(0020,000d\\) UI \\[1.2.3.4.5\\] +# +10, 1 StudyInstanceUID");
        assertThat(out).contains("(0040,0100) SQ (Sequence with explicit length #=1)");
        assertThat(out).contains("(0040,0008) SQ (Sequence with explicit length #=1)");
        assertThat(out).contains("(0008,0100) SH [OFSEP-ROUTINE]");
        assertThat(out).contains("(0008,0104) LO [OFSEP ROUTINE - sans gadolinium]");
    }

    @Test
    void dcmdumpReadsOurImplicitDatasetWithUndefinedLengthsInLatin1() throws Exception {
        Path f = dir.resolve("ours.ds");
        Files.write(f, DicomWriter.write(ours("ISO_IR 100"), TransferSyntax.IMPLICIT_VR_LE,
                DicomWriter.SequenceLength.UNDEFINED));
        Dcmtk.Result r = Dcmtk.run(dir, "dcmdump", "-q", "-f", "-ti", f.toString());
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).isEmpty();
        String out = r.stdoutLatin1(); // dcmdump prints value bytes as they are: Latin-1 here
        assertThat(out).containsPattern("\\(0010,0010\\) PN \\[DUPRÉ\\^HÉLÈNE\\] +# +12, 1 PatientName");
        assertThat(out).contains("(0040,0100) SQ (Sequence with undefined length #=1)");
        assertThat(out).contains("(fffe,e00d) na (ItemDelimitationItem)");
        assertThat(out).contains("(fffe,e0dd) na (SequenceDelimitationItem)");
        assertThat(out).contains("(0008,0100) SH [OFSEP-ROUTINE]");
    }
}
