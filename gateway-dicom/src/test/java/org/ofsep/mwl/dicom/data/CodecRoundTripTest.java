package org.ofsep.mwl.dicom.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CodecRoundTripTest {

    /** One value of every VR, as a worklist or MPPS dataset may carry them. */
    static Attributes everyVR() {
        Attributes a = new Attributes();
        a.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        a.setString(Tag.ScheduledStationAETitle, VR.AE, "MR_SIEMENS");
        a.setString(Tag.PatientAge, VR.AS, "042Y");
        a.setInt(Tag.OffendingElement, VR.AT, Tag.PatientName, Tag.PatientID);
        a.setString(Tag.Modality, VR.CS, "MR");
        a.setString(Tag.PatientBirthDate, VR.DA, "19800131");
        a.setString(Tag.PatientWeight, VR.DS, "70.5");
        a.setString(Tag.AcquisitionDateTime, VR.DT, "20261125093000.123456");
        a.setDouble(Tag.DiffusionBValue, VR.FD, 63.87);
        a.setDouble(Tag.RecommendedDisplayFrameRateInFloat, VR.FL, 2.5);
        a.setString(Tag.NumberOfFrames, VR.IS, "12");
        a.setString(Tag.InstitutionName, VR.LO, "CHU Ville-Évêque");
        a.setString(Tag.AdditionalPatientHistory, VR.LT, "line 1\r\nline 2 with a \\ backslash");
        a.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1, 2}); // odd: padded
        a.setBytes(Tag.VolumetricCurvePoints, VR.OD, new byte[16]);
        a.setBytes(Tag.FloatPixelData, VR.OF, new byte[] {1, 2, 3, 4});
        a.setBytes(Tag.LongPrimitivePointIndexList, VR.OL, new byte[] {1, 2, 3, 4});
        a.setBytes(Tag.ExtendedOffsetTable, VR.OV, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        a.setBytes(Tag.RedPaletteColorLookupTableData, VR.OW, new byte[] {1, 2});
        a.setString(Tag.PatientName, VR.PN, "DUPRÉ^HÉLÈNE");
        a.setString(Tag.AccessionNumber, VR.SH, "ACC1");
        a.setInt(Tag.ReferencePixelX0, VR.SL, -5);
        a.setInt(Tag.TagAngleSecondAxis, VR.SS, -3);
        a.setString(Tag.RequestedProcedureComments, VR.LT, "reasons");
        a.setString(Tag.DerivationDescription, VR.ST, "short text");
        a.setString(Tag.SelectorSVValue, VR.SV, "-1234567890123");
        a.setString(Tag.ScheduledProcedureStepStartTime, VR.TM, "093000");
        a.setString(Tag.StrainDescription, VR.UC, "unlimited characters");
        a.setString(Tag.StudyInstanceUID, VR.UI, "1.2.3.4.5"); // odd: NUL-padded
        a.setInt(Tag.SimpleFrameList, VR.UL, 1, 2, 3);
        a.setBytes(0x00091001, VR.UN, new byte[] {9, 8, 7});
        a.setString(Tag.RetrieveURL, VR.UR, "http://example.org/x");
        a.setInt(Tag.Rows, VR.US, 512);
        a.setString(Tag.PatientComments, VR.LT, "");
        a.setString(Tag.TextValue, VR.UT, "unlimited text é");
        a.setString(Tag.SelectorUVValue, VR.UV, "18446744073709551615");
        return a;
    }

    @ParameterizedTest
    @EnumSource(value = TransferSyntax.class, names = {"IMPLICIT_VR_LE", "EXPLICIT_VR_LE"})
    void everyVRSurvivesARoundTrip(TransferSyntax ts) throws Exception {
        Attributes a = everyVR();
        byte[] bytes = DicomWriter.write(a, ts);
        assertThat(bytes.length % 2).isZero();
        Attributes back = DicomReader.read(bytes, ts);
        if (ts == TransferSyntax.IMPLICIT_VR_LE) {
            // implicit VR: a private element has no dictionary VR, it comes back as UN; all others as written
            assertThat(back.getVR(0x00091001)).isEqualTo(VR.UN);
        }
        // padding of odd values is not part of the value for strings, but is for opaque bytes (OB 3 -> 4)
        a.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1, 2, 0});
        a.setBytes(0x00091001, VR.UN, new byte[] {9, 8, 7, 0});
        assertThat(back).isEqualTo(a);
        assertThat(back.getString(Tag.PatientName)).isEqualTo("DUPRÉ^HÉLÈNE");
        assertThat(back.getInt(Tag.Rows, 0)).isEqualTo(512);
        assertThat(back.getInts(Tag.SimpleFrameList)).containsExactly(1, 2, 3);
        assertThat(back.getInts(Tag.OffendingElement)).containsExactly(Tag.PatientName, Tag.PatientID);
        assertThat(back.getInt(Tag.TagAngleSecondAxis, 0)).isEqualTo(-3);
        assertThat(back.getInt(Tag.ReferencePixelX0, 0)).isEqualTo(-5);
        assertThat(back.getDouble(Tag.DiffusionBValue, 0)).isEqualTo(63.87);
        assertThat(back.getDouble(Tag.PatientWeight, 0)).isEqualTo(70.5);
        assertThat(back.getString(Tag.AdditionalPatientHistory)).isEqualTo("line 1\r\nline 2 with a \\ backslash");
        assertThat(back.getString(Tag.SelectorUVValue)).isEqualTo("18446744073709551615");
        assertThat(back.contains(Tag.PatientComments)).isTrue();
        assertThat(back.containsValue(Tag.PatientComments)).isFalse();
        assertThat(back.getString(Tag.PatientComments)).isNull();
        assertThat(back.contains(Tag.PatientSex)).isFalse();
    }

    @Test
    void oddValuesArePaddedWithTheVRsPaddingByte() throws Exception {
        Attributes a = new Attributes();
        a.setString(Tag.SOPClassUID, VR.UI, "1.2.3");
        a.setString(Tag.PatientID, VR.LO, "ABC");
        byte[] bytes = DicomWriter.write(a, TransferSyntax.EXPLICIT_VR_LE);
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(
                "08001600" + "5549" + "0600" + "312e322e3300"   // UI padded with NUL
                + "10002000" + "4c4f" + "0400" + "41424320");   // LO padded with space
        bytes = DicomWriter.write(a, TransferSyntax.IMPLICIT_VR_LE);
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(
                "08001600" + "06000000" + "312e322e3300"
                + "10002000" + "04000000" + "41424320");
    }

    @Test
    void multipleValuesAreSeparatedByBackslash() throws Exception {
        Attributes a = new Attributes();
        a.setString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY", "");
        Attributes back = DicomReader.read(DicomWriter.write(a, TransferSyntax.IMPLICIT_VR_LE), TransferSyntax.IMPLICIT_VR_LE);
        assertThat(back.getStrings(Tag.ImageType)).containsExactly("ORIGINAL", "PRIMARY", "");
        assertThat(back.getString(Tag.ImageType)).isEqualTo("ORIGINAL");
    }

    static Attributes nested() {
        Attributes a = new Attributes();
        a.setString(Tag.PatientID, VR.LO, "P1");
        Attributes sps = a.addItem(Tag.ScheduledProcedureStepSequence);
        sps.setString(Tag.Modality, VR.CS, "MR");
        Attributes code = sps.addItem(Tag.ScheduledProtocolCodeSequence);
        code.setString(Tag.CodeValue, VR.SH, "OFSEP-FULL-GD");
        code.setString(Tag.CodingSchemeDesignator, VR.SH, "99OFSEP");
        sps.addItem(Tag.ScheduledProtocolCodeSequence); // an empty item
        sps.newSequence(Tag.ReferencedStudySequence);  // an empty sequence
        a.addItem(Tag.ScheduledProcedureStepSequence).setString(Tag.Modality, VR.CS, "CT");
        return a;
    }

    @ParameterizedTest
    @EnumSource(DicomWriter.SequenceLength.class)
    void sequencesOfDefinedAndUndefinedLengthRoundTripInBothSyntaxes(DicomWriter.SequenceLength length)
            throws Exception {
        for (TransferSyntax ts : List.of(TransferSyntax.IMPLICIT_VR_LE, TransferSyntax.EXPLICIT_VR_LE)) {
            Attributes a = nested();
            Attributes back = DicomReader.read(DicomWriter.write(a, ts, length), ts);
            assertThat(back).isEqualTo(a);
            assertThat(back.getSequence(Tag.ScheduledProcedureStepSequence)).hasSize(2);
            Attributes code = back.getItem(Tag.ScheduledProcedureStepSequence, 0)
                    .getItem(Tag.ScheduledProtocolCodeSequence, 0);
            assertThat(code.getString(Tag.CodeValue)).isEqualTo("OFSEP-FULL-GD");
            assertThat(back.getItem(Tag.ScheduledProcedureStepSequence, 0).getSequence(Tag.ReferencedStudySequence))
                    .isEmpty();
        }
    }

    @Test
    void undefinedLengthEncodingUsesDelimitationItems() {
        Attributes a = new Attributes();
        a.addItem(Tag.ScheduledProcedureStepSequence);
        byte[] bytes = DicomWriter.write(a, TransferSyntax.IMPLICIT_VR_LE, DicomWriter.SequenceLength.UNDEFINED);
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(
                "40000001" + "ffffffff"
                + "feff00e0" + "ffffffff" + "feff0de0" + "00000000"
                + "feffdde0" + "00000000");
    }

    @Test
    void commandSetStartsWithItsGroupLength() throws Exception {
        Attributes cmd = new Attributes();
        cmd.setString(Tag.AffectedSOPClassUID, VR.UI, UID.VERIFICATION);
        cmd.setInt(Tag.CommandField, VR.US, 0x8030);
        cmd.setInt(Tag.MessageIDBeingRespondedTo, VR.US, 1);
        cmd.setInt(Tag.CommandDataSetType, VR.US, 0x0101);
        cmd.setInt(Tag.Status, VR.US, 0);
        byte[] bytes = DicomWriter.writeCommand(cmd);
        // (0000,0002) 18 bytes of UID (17 + NUL) + 4 x US elements of 10 bytes = 8 + 18 + 40
        assertThat(DicomWriter.commandGroupLength(cmd)).isEqualTo(66);
        assertThat(HexFormat.of().formatHex(bytes, 0, 12)).isEqualTo("00000000" + "04000000" + "42000000");
        Attributes back = DicomReader.readCommand(bytes);
        assertThat(back.getInt(Tag.CommandGroupLength, -1)).isEqualTo(66);
        assertThat(back.getInt(Tag.CommandField, 0)).isEqualTo(0x8030);
        assertThat(back.getString(Tag.AffectedSOPClassUID)).isEqualTo(UID.VERIFICATION);
    }

    @Test
    void truncatedAndOversizedInputIsACodecException() {
        byte[] good = DicomWriter.write(nested(), TransferSyntax.EXPLICIT_VR_LE);
        for (int cut = 1; cut < good.length; cut++) {
            byte[] truncated = java.util.Arrays.copyOf(good, cut);
            try {
                DicomReader.read(truncated, TransferSyntax.EXPLICIT_VR_LE);
            } catch (DicomCodecException expected) {
                // fine: what matters is that nothing else escapes
            }
        }
        byte[] huge = HexFormat.of().parseHex("10001000" + "4f42" + "0000" + "f0ffff7f");
        assertThatThrownBy(() -> DicomReader.read(huge, TransferSyntax.EXPLICIT_VR_LE))
                .isInstanceOf(DicomCodecException.class).hasMessageContaining("exceeds");
        byte[] badVr = HexFormat.of().parseHex("10001000" + "7a7a" + "0000");
        assertThatThrownBy(() -> DicomReader.read(badVr, TransferSyntax.EXPLICIT_VR_LE))
                .isInstanceOf(DicomCodecException.class).hasMessageContaining("Unknown VR");
    }

    @Test
    void nestingDeeperThanTheLimitIsRefused() {
        Attributes root = new Attributes();
        Attributes cur = root;
        for (int i = 0; i < 40; i++) {
            cur = cur.addItem(Tag.ScheduledProcedureStepSequence);
        }
        byte[] bytes = DicomWriter.write(root, TransferSyntax.IMPLICIT_VR_LE, DicomWriter.SequenceLength.UNDEFINED);
        assertThatThrownBy(() -> DicomReader.read(bytes, TransferSyntax.IMPLICIT_VR_LE))
                .isInstanceOf(DicomCodecException.class).hasMessageContaining("nested deeper");
    }

    @Test
    void unknownUndefinedLengthElementIsReadAsAnImplicitSequence() throws Exception {
        // a private element of undefined length in implicit VR: PS3.5 says it is a sequence
        byte[] bytes = HexFormat.of().parseHex("09001010" + "ffffffff"
                + "feff00e0" + "0e000000" + "10002000" + "06000000" + "505431323320"
                + "feffdde0" + "00000000");
        Attributes a = DicomReader.read(bytes, TransferSyntax.IMPLICIT_VR_LE);
        assertThat(a.getItem(0x00091010, 0).getString(Tag.PatientID)).isEqualTo("PT123");
    }

    @Test
    void knownElementsSentAsUnAreDecodedWithTheDictionaryVR() throws Exception {
        // explicit VR: Patient's Name as UN "DOE*" and the SPS sequence as UN holding an implicit-VR item
        byte[] bytes = HexFormat.of().parseHex("10001000" + "554e" + "0000" + "04000000" + "444f452a"
                + "40000001" + "554e" + "0000" + "12000000"
                + "feff00e0" + "0a000000" + "08006000" + "02000000" + "4d52");
        Attributes a = DicomReader.read(bytes, TransferSyntax.EXPLICIT_VR_LE);
        assertThat(a.getVR(Tag.PatientName)).isEqualTo(VR.PN);
        assertThat(a.getString(Tag.PatientName)).isEqualTo("DOE*");
        assertThat(a.getItem(Tag.ScheduledProcedureStepSequence, 0).getString(Tag.Modality)).isEqualTo("MR");
    }
}
