package org.ofsep.mwl.dicom.mwl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.Vendor;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.DicomReader;
import org.ofsep.mwl.dicom.data.DicomWriter;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.data.TransferSyntax;
import org.ofsep.mwl.dicom.data.VR;

class WorklistResponseBuilderTest {

    private final WorklistResponseBuilder builder = new WorklistResponseBuilder();

    /** A typical console identifier: return keys empty, the SPS sequence with its sub-keys. */
    static Attributes consoleIdentifier() {
        Attributes id = new Attributes();
        id.setEmpty(Tag.AccessionNumber, VR.SH);
        id.setEmpty(Tag.ReferringPhysicianName, VR.PN);
        id.setEmpty(Tag.PatientName, VR.PN);
        id.setEmpty(Tag.PatientID, VR.LO);
        id.setEmpty(Tag.PatientBirthDate, VR.DA);
        id.setEmpty(Tag.PatientSex, VR.CS);
        id.setEmpty(Tag.PatientWeight, VR.DS);
        id.setEmpty(Tag.MedicalAlerts, VR.LO);
        id.setEmpty(Tag.StudyInstanceUID, VR.UI);
        id.setEmpty(Tag.RequestedProcedureID, VR.SH);
        id.setEmpty(Tag.RequestedProcedureDescription, VR.LO);
        id.setEmpty(Tag.RequestedProcedureComments, VR.LT);
        id.setEmpty(Tag.ReasonForTheRequestedProcedure, VR.LO);
        id.addItem(Tag.RequestedProcedureCodeSequence).setEmpty(Tag.CodeValue, VR.SH);
        Attributes sps = id.addItem(Tag.ScheduledProcedureStepSequence);
        sps.setString(Tag.ScheduledStationAETitle, VR.AE, "MR_SIEMENS");
        sps.setEmpty(Tag.ScheduledProcedureStepStartDate, VR.DA);
        sps.setEmpty(Tag.ScheduledProcedureStepStartTime, VR.TM);
        sps.setString(Tag.Modality, VR.CS, "MR");
        sps.setEmpty(Tag.ScheduledPerformingPhysicianName, VR.PN);
        sps.setEmpty(Tag.ScheduledProcedureStepDescription, VR.LO);
        sps.setEmpty(Tag.ScheduledStationName, VR.SH);
        sps.setEmpty(Tag.ScheduledProcedureStepLocation, VR.SH);
        sps.setEmpty(Tag.ScheduledProcedureStepID, VR.SH);
        sps.setEmpty(Tag.ScheduledProcedureStepStatus, VR.CS);
        sps.setEmpty(Tag.RequestedContrastAgent, VR.LO);
        sps.setEmpty(Tag.ScheduledProtocolCodeSequence, VR.SQ);
        return id;
    }

    @Test
    void returnsExactlyTheRequestedKeysWithValues() {
        Attributes id = consoleIdentifier();
        Attributes rsp = builder.build(Items.dupre("ISO_IR 100"), Items.station(Vendor.SIEMENS, "MR_SIEMENS", false), id);

        // every key asked, and nothing else but the character set
        for (int tag : id.tags()) {
            assertThat(rsp.contains(tag)).as(Tag.toString(tag)).isTrue();
        }
        assertThat(rsp.size()).isEqualTo(id.size() + 1);
        assertThat(rsp.getString(Tag.SpecificCharacterSet)).isEqualTo("ISO_IR 100");
        assertThat(rsp.contains(Tag.IssuerOfPatientID)).isFalse();        // not asked, not returned
        assertThat(rsp.contains(Tag.PlacerOrderNumberImagingServiceRequest)).isFalse();

        assertThat(rsp.getString(Tag.PatientName)).isEqualTo("DUPRÉ^HÉLÈNE");
        assertThat(rsp.getString(Tag.PatientID)).isEqualTo("PAT1");
        assertThat(rsp.getString(Tag.PatientBirthDate)).isEqualTo("19800131");
        assertThat(rsp.getString(Tag.PatientSex)).isEqualTo("F");
        assertThat(rsp.getString(Tag.PatientWeight)).isEqualTo("70");
        assertThat(rsp.getString(Tag.AccessionNumber)).isEqualTo("ACCSPS1");
        assertThat(rsp.getString(Tag.ReferringPhysicianName)).isEqualTo("MARTIN^PAUL");
        assertThat(rsp.getString(Tag.MedicalAlerts)).isEqualTo("eGFR < 30: radiologist confirmation required");
        assertThat(rsp.getString(Tag.RequestedProcedureComments)).isEqualTo("First MRI: full protocol with Gd");
        assertThat(rsp.getString(Tag.ReasonForTheRequestedProcedure)).isEqualTo("Poussée");
        // sub-keys of a sequence item: only the asked ones
        Attributes rpCode = rsp.getItem(Tag.RequestedProcedureCodeSequence, 0);
        assertThat(rpCode.getString(Tag.CodeValue)).isEqualTo("24590-2");
        assertThat(rpCode.contains(Tag.CodingSchemeDesignator)).isFalse();

        Attributes sps = rsp.getItem(Tag.ScheduledProcedureStepSequence, 0);
        assertThat(sps.size()).isEqualTo(id.getItem(Tag.ScheduledProcedureStepSequence, 0).size());
        assertThat(sps.getString(Tag.ScheduledStationAETitle)).isEqualTo("MR_SIEMENS");
        assertThat(sps.getString(Tag.ScheduledProcedureStepStartDate)).isEqualTo("20261125");
        assertThat(sps.getString(Tag.ScheduledProcedureStepStartTime)).isEqualTo("093000");
        assertThat(sps.getString(Tag.ScheduledProcedureStepDescription)).isEqualTo("OFSEP FULL - avec gadolinium");
        assertThat(sps.getString(Tag.ScheduledStationName)).isEqualTo("IRM1");
        assertThat(sps.getString(Tag.ScheduledProcedureStepID)).isEqualTo("SPS1");
        assertThat(sps.getString(Tag.ScheduledProcedureStepStatus)).isEqualTo("SCHEDULED");
        assertThat(sps.getString(Tag.RequestedContrastAgent)).isEqualTo("gadobutrol 7.0 mmol 7.0 mL");
        // type 2 without value: present, empty
        assertThat(sps.contains(Tag.ScheduledPerformingPhysicianName)).isTrue();
        assertThat(sps.containsValue(Tag.ScheduledPerformingPhysicianName)).isFalse();
    }

    @Test
    void protocolCodesAreTheStationVendorsFirstThenTheDefault() {
        Attributes id = consoleIdentifier();
        Attributes siemens = builder.build(Items.dupre(null), Items.station(Vendor.SIEMENS, "MR_SIEMENS", false), id);
        List<Attributes> codes = siemens.getItem(Tag.ScheduledProcedureStepSequence, 0)
                .getSequence(Tag.ScheduledProtocolCodeSequence);
        assertThat(codes).extracting(c -> c.getString(Tag.CodeValue)).containsExactly("SEP_FULL_GD", "OFSEP-FULL-GD");
        assertThat(codes).extracting(c -> c.getString(Tag.CodingSchemeDesignator))
                .containsExactly("99SIEMENS", "99OFSEP");
        assertThat(codes.get(1).getString(Tag.CodeMeaning)).isEqualTo("OFSEP FULL avec gadolinium");

        Attributes ge = builder.build(Items.dupre(null), Items.station(Vendor.GE, "MR_GE", false), id);
        assertThat(ge.getItem(Tag.ScheduledProcedureStepSequence, 0).getSequence(Tag.ScheduledProtocolCodeSequence))
                .extracting(c -> c.getString(Tag.CodeValue)).containsExactly("OFSEP-FULL-GD");
    }

    @Test
    void characterSetFollowsTheContent() {
        Attributes id = new Attributes();
        id.setEmpty(Tag.PatientName, VR.PN);
        var station = Items.station(Vendor.GE, "MR_GE", false);
        assertThat(builder.build(Items.dupre("ISO_IR 100"), station, id).getString(Tag.SpecificCharacterSet))
                .isEqualTo("ISO_IR 100");
        assertThat(builder.build(Items.dupre("ISO_IR 192"), station, id).getString(Tag.SpecificCharacterSet))
                .isEqualTo("ISO_IR 192");
        WorklistItem polish = Items.dupre("ISO_IR 100").withPatient(
                new org.ofsep.mwl.core.domain.Patient("P", null, "ŁUKASZ^Ł", null, null));
        assertThat(builder.build(polish, station, id).getString(Tag.SpecificCharacterSet)).isEqualTo("ISO_IR 192");
        WorklistItem ascii = Items.dupre("ISO_IR 100").withPatient(
                new org.ofsep.mwl.core.domain.Patient("P", null, "DUPONT^JEAN", null, null));
        assertThat(builder.build(ascii, station, id).contains(Tag.SpecificCharacterSet)).isFalse();
    }

    @Test
    void theResponseEncodesTheAccentsInTheAnnouncedCharacterSet() throws Exception {
        Attributes id = new Attributes();
        id.setEmpty(Tag.PatientName, VR.PN);
        Attributes rsp = builder.build(Items.dupre("ISO_IR 100"), Items.station(Vendor.GE, "MR_GE", false), id);
        byte[] bytes = DicomWriter.write(rsp, TransferSyntax.EXPLICIT_VR_LE);
        String hex = java.util.HexFormat.of().formatHex(bytes);
        assertThat(hex).endsWith("10001000" + "504e" + "0c00" + "44555052c95e48c94cc84e45");
        assertThat(DicomReader.read(bytes, TransferSyntax.EXPLICIT_VR_LE).getString(Tag.PatientName))
                .isEqualTo("DUPRÉ^HÉLÈNE");
    }

    @Test
    void unsupportedAndUniversalSequenceKeys() {
        Attributes id = new Attributes();
        id.setEmpty(Tag.PatientMotherBirthName, VR.PN);  // not supported: returned empty, no error
        id.setEmpty(Tag.ScheduledProcedureStepSequence, VR.SQ); // universal sequence: every sub-attribute
        Attributes rsp = builder.build(Items.dupre(null), Items.station(Vendor.SIEMENS, "MR_SIEMENS", false), id);
        assertThat(rsp.contains(Tag.PatientMotherBirthName)).isTrue();
        assertThat(rsp.containsValue(Tag.PatientMotherBirthName)).isFalse();
        Attributes sps = rsp.getItem(Tag.ScheduledProcedureStepSequence, 0);
        assertThat(sps.getString(Tag.ScheduledProcedureStepID)).isEqualTo("SPS1");
        assertThat(sps.getSequence(Tag.ScheduledProtocolCodeSequence)).hasSize(2);
    }

    @Test
    void valuesAreCutToTheirVRsMaximumLength() {
        WorklistItem item = Items.dupre(null);
        String longText = "x".repeat(100);
        var decision = new org.ofsep.mwl.core.domain.Decision(true, null, false, false, false, false, "R",
                List.of(), List.of(), null, null, List.of(),
                List.of(new ProtocolCode("ABCDEFGHIJKLMNOPQRS", "99OFSEP", "m".repeat(80))), null);
        item = new WorklistItem(1, "S".repeat(20), "R".repeat(20), "A".repeat(20), item.studyInstanceUid(),
                null, null, new org.ofsep.mwl.core.domain.Patient("P", null, "N".repeat(70) + "^G", null, null),
                null, null, "desc\\with backslash", item.scheduledStart(), "MR", "MR_SIEMENS", null, longText,
                longText, null, item.status(), decision, "a; b\nc", longText, null, null);
        Attributes full = builder.render(item, null);
        Attributes sps = full.getItem(Tag.ScheduledProcedureStepSequence, 0);
        assertThat(sps.getString(Tag.ScheduledProcedureStepID)).hasSize(16);
        assertThat(sps.getString(Tag.ScheduledProcedureStepDescription)).hasSize(64);
        assertThat(sps.getString(Tag.RequestedContrastAgent)).hasSize(64);
        assertThat(full.getString(Tag.AccessionNumber)).hasSize(16);
        assertThat(full.getString(Tag.RequestedProcedureID)).hasSize(16);
        assertThat(full.getString(Tag.ReasonForTheRequestedProcedure)).hasSize(64);
        assertThat(full.getString(Tag.PatientName)).isEqualTo("N".repeat(64)); // one component group: 64 chars
        assertThat(full.getStrings(Tag.RequestedProcedureDescription)).containsExactly("desc/with backslash");
        assertThat(full.getStrings(Tag.MedicalAlerts)).containsExactly("a", "b", "c");
        Attributes code = sps.getItem(Tag.ScheduledProtocolCodeSequence, 0);
        assertThat(code.contains(Tag.CodeValue)).isFalse();
        assertThat(code.getString(Tag.LongCodeValue)).isEqualTo("ABCDEFGHIJKLMNOPQRS");
        assertThat(code.getString(Tag.CodeMeaning)).hasSize(64);
    }
}
