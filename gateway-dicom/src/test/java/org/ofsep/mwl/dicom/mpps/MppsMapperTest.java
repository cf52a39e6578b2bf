package org.ofsep.mwl.dicom.mpps;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.domain.PerformedStep;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.data.VR;

class MppsMapperTest {

    private final MppsMapper mapper = new MppsMapper();

    /** An N-CREATE as a console sends it when the exam starts (IHE RAD-6). */
    static Attributes nCreate() {
        Attributes a = new Attributes();
        a.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        a.setString(Tag.Modality, VR.CS, "MR");
        a.setEmpty(Tag.ProcedureCodeSequence, VR.SQ);
        a.setString(Tag.PatientName, VR.PN, "DUPRÉ^HÉLÈNE");
        a.setString(Tag.PatientID, VR.LO, "PAT1");
        a.setString(Tag.PatientBirthDate, VR.DA, "19800131");
        a.setString(Tag.PatientSex, VR.CS, "F");
        a.setString(Tag.StudyID, VR.SH, "1");
        a.setString(Tag.PerformedStationAETitle, VR.AE, "MR_SIEMENS");
        a.setString(Tag.PerformedStationName, VR.SH, "IRM1");
        a.setEmpty(Tag.PerformedLocation, VR.SH);
        a.setString(Tag.PerformedProcedureStepStartDate, VR.DA, "20261125");
        a.setString(Tag.PerformedProcedureStepStartTime, VR.TM, "093512");
        a.setEmpty(Tag.PerformedProcedureStepEndDate, VR.DA);
        a.setEmpty(Tag.PerformedProcedureStepEndTime, VR.TM);
        a.setString(Tag.PerformedProcedureStepStatus, VR.CS, "IN PROGRESS");
        a.setString(Tag.PerformedProcedureStepID, VR.SH, "PPS1");
        a.setEmpty(Tag.PerformedProcedureStepDescription, VR.LO);
        a.setEmpty(Tag.PerformedProcedureTypeDescription, VR.LO);
        Attributes step = a.addItem(Tag.ScheduledStepAttributesSequence);
        step.setString(Tag.StudyInstanceUID, VR.UI, "1.2.250.1.59.1.7");
        step.setString(Tag.AccessionNumber, VR.SH, "ACC1");
        step.setString(Tag.RequestedProcedureID, VR.SH, "RP1");
        step.setString(Tag.ScheduledProcedureStepID, VR.SH, "SPS1");
        step.newSequence(Tag.ReferencedStudySequence);
        Attributes code = a.addItem(Tag.PerformedProtocolCodeSequence);
        code.setString(Tag.CodeValue, VR.SH, "SEP_FULL_GD");
        code.setString(Tag.CodingSchemeDesignator, VR.SH, "99SIEMENS");
        code.setString(Tag.CodeMeaning, VR.LO, "Exam tree SEP FULL Gd");
        a.newSequence(Tag.PerformedSeriesSequence);
        return a;
    }

    @Test
    void nCreateMapsToAPerformedStep() throws Exception {
        Attributes a = nCreate();
        assertThat(mapper.validateCreate(a)).isEmpty();
        PerformedStep step = mapper.toPerformedStep("1.2.3.4", a);
        assertThat(step.sopInstanceUid()).isEqualTo("1.2.3.4");
        assertThat(step.status()).isEqualTo("IN PROGRESS");
        assertThat(step.patientId()).isEqualTo("PAT1");
        assertThat(step.studyInstanceUid()).isEqualTo("1.2.250.1.59.1.7");
        assertThat(step.scheduledStepIds()).containsExactly("SPS1");
        assertThat(step.accessionNumber()).isEqualTo("ACC1");
        assertThat(step.performedStationAeTitle()).isEqualTo("MR_SIEMENS");
        assertThat(step.start()).isEqualTo(LocalDateTime.of(2026, 11, 25, 9, 35, 12));
        assertThat(step.end()).isNull();
        assertThat(step.performedProtocolCodes())
                .containsExactly(new ProtocolCode("SEP_FULL_GD", "99SIEMENS", "Exam tree SEP FULL Gd"));
        // the dataset bytes are the encoded attributes, accents included
        Attributes back = MppsMapper.decode(step.dataset());
        assertThat(back).isEqualTo(a);
        assertThat(back.getString(Tag.PatientName)).isEqualTo("DUPRÉ^HÉLÈNE");
    }

    @Test
    void accentsFromAConsoleThatDeclaresNoCharacterSetAreStoredIntact() throws Exception {
        // a console that forgot (0008,0005) sends Latin-1 bytes: read as Latin-1, never stored as '?'
        Attributes a = nCreate();
        a.remove(Tag.SpecificCharacterSet);
        byte[] wire = org.ofsep.mwl.dicom.data.DicomWriter.write(withCharset(a, "ISO_IR 100"),
                org.ofsep.mwl.dicom.data.TransferSyntax.IMPLICIT_VR_LE);
        Attributes received = org.ofsep.mwl.dicom.data.DicomReader.read(stripCharset(wire),
                org.ofsep.mwl.dicom.data.TransferSyntax.IMPLICIT_VR_LE);
        assertThat(received.contains(Tag.SpecificCharacterSet)).isFalse();
        assertThat(received.getString(Tag.PatientName)).isEqualTo("DUPRÉ^HÉLÈNE");
        Attributes stored = MppsMapper.decode(mapper.toPerformedStep("1.2.3.4", received).dataset());
        assertThat(stored.getString(Tag.PatientName)).isEqualTo("DUPRÉ^HÉLÈNE");
    }

    private static Attributes withCharset(Attributes a, String charset) {
        Attributes c = new Attributes(a);
        c.setString(Tag.SpecificCharacterSet, VR.CS, charset);
        return c;
    }

    /** The implicit VR encoding without its leading (0008,0005) element (tag, 4-byte length, value). */
    private static byte[] stripCharset(byte[] implicitVr) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(implicitVr).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getShort(0)).isEqualTo((short) 0x0008);
        assertThat(b.getShort(2)).isEqualTo((short) 0x0005);
        int skip = 8 + b.getInt(4);
        return java.util.Arrays.copyOfRange(implicitVr, skip, implicitVr.length);
    }

    /**
     * Each Scheduled Step Attributes Sequence item is a reference of its own (the group case: SPS IDs numbered per
     * requested procedure repeat, the study and accession tell them apart), and the discontinuation reason is read.
     */
    @Test
    void everyScheduledStepItemIsItsOwnReferenceAndTheReasonIsRead() {
        Attributes a = nCreate();
        Attributes second = a.addItem(Tag.ScheduledStepAttributesSequence);
        second.setString(Tag.StudyInstanceUID, VR.UI, "1.2.250.1.59.1.8");
        second.setString(Tag.AccessionNumber, VR.SH, "ACC8");
        second.setString(Tag.ScheduledProcedureStepID, VR.SH,
                a.getItem(Tag.ScheduledStepAttributesSequence, 0).getString(Tag.ScheduledProcedureStepID));
        a.setString(Tag.PerformedProcedureStepStatus, VR.CS, "DISCONTINUED");
        Attributes reason = a.addItem(Tag.PerformedProcedureStepDiscontinuationReasonCodeSequence);
        reason.setString(Tag.CodeValue, VR.SH, "110514");
        reason.setString(Tag.CodingSchemeDesignator, VR.SH, "DCM");
        reason.setString(Tag.CodeMeaning, VR.LO, "Incorrect worklist entry selected");
        PerformedStep step = mapper.toPerformedStep("1.2.3.9", a);
        assertThat(step.references()).hasSize(2);
        assertThat(step.references().get(1).studyInstanceUid()).isEqualTo("1.2.250.1.59.1.8");
        assertThat(step.references().get(1).accessionNumber()).isEqualTo("ACC8");
        assertThat(step.references().get(0).studyInstanceUid()).isEqualTo("1.2.250.1.59.1.7");
        assertThat(step.discontinuationReason()).isEqualTo("110514^DCM");
        assertThat(step.wrongWorklistEntry()).isTrue();
    }

    @Test
    void unscheduledStepHasNoSpsIds() {
        Attributes a = nCreate();
        Attributes step = a.getItem(Tag.ScheduledStepAttributesSequence, 0);
        step.setEmpty(Tag.ScheduledProcedureStepID, VR.SH);
        step.setEmpty(Tag.AccessionNumber, VR.SH);
        assertThat(mapper.validateCreate(a)).isEmpty();
        PerformedStep s = mapper.toPerformedStep("1.2.3.5", a);
        assertThat(s.scheduledStepIds()).isEmpty();
        assertThat(s.accessionNumber()).isNull();
        // the item still names a study, by which the store may find its step
        assertThat(s.references()).containsExactly(new PerformedStep.StepReference(null, "1.2.250.1.59.1.7", null));
    }

    /**
     * SPS ID is Type 2 (PS3.4 Table F.7.2-1): an item without one is a reference by its study and accession. It was
     * no reference at all, so the step it named was never found (the MPPS was taken as unscheduled).
     */
    @Test
    void anItemWithoutSpsIdIsAReferenceByItsStudyAndAccession() {
        Attributes a = nCreate();
        a.getItem(Tag.ScheduledStepAttributesSequence, 0).setEmpty(Tag.ScheduledProcedureStepID, VR.SH);
        Attributes second = a.addItem(Tag.ScheduledStepAttributesSequence);
        second.setString(Tag.StudyInstanceUID, VR.UI, "1.2.250.1.59.1.8");
        second.setString(Tag.AccessionNumber, VR.SH, "ACC8");
        second.setString(Tag.ScheduledProcedureStepID, VR.SH, "SPS8");
        PerformedStep s = mapper.toPerformedStep("1.2.3.6", a);
        assertThat(s.scheduledStepIds()).containsExactly("SPS8");
        assertThat(s.references()).containsExactly(
                new PerformedStep.StepReference(null, "1.2.250.1.59.1.7", "ACC1"),
                new PerformedStep.StepReference("SPS8", "1.2.250.1.59.1.8", "ACC8"));
    }

    @Test
    void missingType1AttributesAreListed() {
        Attributes a = nCreate();
        a.remove(Tag.PerformedStationAETitle);
        a.remove(Tag.Modality);
        var failure = mapper.validateCreate(a).orElseThrow();
        assertThat(failure.status()).isEqualTo(0x0120);
        assertThat(failure.tags()).containsExactly(Tag.PerformedStationAETitle, Tag.Modality);
        assertThat(failure.tagArray()).containsExactly(Tag.PerformedStationAETitle, Tag.Modality);
    }

    @Test
    void emptyType1AttributesAreMissingValues() {
        Attributes a = nCreate();
        a.setEmpty(Tag.PerformedProcedureStepID, VR.SH);
        a.getItem(Tag.ScheduledStepAttributesSequence, 0).setEmpty(Tag.StudyInstanceUID, VR.UI);
        var failure = mapper.validateCreate(a).orElseThrow();
        assertThat(failure.status()).isEqualTo(0x0121);
        assertThat(failure.tags()).containsExactly(Tag.PerformedProcedureStepID, Tag.StudyInstanceUID);
    }

    @Test
    void type2IsRequiredOnlyWhenStrict() {
        Attributes a = nCreate();
        a.remove(Tag.PerformedSeriesSequence);
        assertThat(mapper.validateCreate(a)).isEmpty();
        var failure = new MppsMapper(true).validateCreate(a).orElseThrow();
        assertThat(failure.status()).isEqualTo(0x0120);
        assertThat(failure.tags()).containsExactly(Tag.PerformedSeriesSequence);
    }

    @Test
    void nCreateMustBeInProgress() {
        Attributes a = nCreate();
        a.setString(Tag.PerformedProcedureStepStatus, VR.CS, "COMPLETED");
        var failure = mapper.validateCreate(a).orElseThrow();
        assertThat(failure.status()).isEqualTo(0x0106);
        assertThat(failure.tags()).containsExactly(Tag.PerformedProcedureStepStatus);
    }

    static Attributes nSetCompleted() {
        Attributes m = new Attributes();
        m.setString(Tag.PerformedProcedureStepStatus, VR.CS, "COMPLETED");
        m.setString(Tag.PerformedProcedureStepEndDate, VR.DA, "20261125");
        m.setString(Tag.PerformedProcedureStepEndTime, VR.TM, "095501");
        Attributes code = m.addItem(Tag.PerformedProtocolCodeSequence);
        code.setString(Tag.CodeValue, VR.SH, "OFSEP-FULL-GD");
        code.setString(Tag.CodingSchemeDesignator, VR.SH, "99OFSEP");
        Attributes series = m.addItem(Tag.PerformedSeriesSequence);
        series.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.3.4.5.1");
        return m;
    }

    @Test
    void nSetReplacesAttributesAndWholeSequences() {
        Attributes stored = nCreate();
        Attributes m = nSetCompleted();
        assertThat(mapper.validateSet(stored, m)).isEmpty();
        Attributes merged = mapper.merge(stored, m);
        PerformedStep step = mapper.toPerformedStep("1.2.3.4", merged);
        assertThat(step.status()).isEqualTo("COMPLETED");
        assertThat(step.end()).isEqualTo(LocalDateTime.of(2026, 11, 25, 9, 55, 1));
        // the sequence is replaced as a whole, not merged item by item
        assertThat(step.performedProtocolCodes()).containsExactly(new ProtocolCode("OFSEP-FULL-GD", "99OFSEP", null));
        assertThat(merged.getSequence(Tag.PerformedSeriesSequence)).hasSize(1);
        // untouched attributes stay
        assertThat(merged.getString(Tag.PatientName)).isEqualTo("DUPRÉ^HÉLÈNE");
        assertThat(step.scheduledStepIds()).containsExactly("SPS1");
        // the stored attributes are not modified in place
        assertThat(stored.getString(Tag.PerformedProcedureStepStatus)).isEqualTo("IN PROGRESS");
    }

    @Test
    void nSetWithZeroLengthEmptiesTheAttribute() {
        Attributes stored = nCreate();
        stored.setString(Tag.PerformedProcedureStepDescription, VR.LO, "IRM SEP");
        Attributes m = new Attributes();
        m.setEmpty(Tag.PerformedProcedureStepDescription, VR.LO);
        assertThat(mapper.validateSet(stored, m)).isEmpty();
        Attributes merged = mapper.merge(stored, m);
        assertThat(merged.contains(Tag.PerformedProcedureStepDescription)).isTrue();
        assertThat(merged.containsValue(Tag.PerformedProcedureStepDescription)).isFalse();
    }

    @Test
    void nSetMayNotChangeCreateOnlyAttributesButMayRepeatThem() {
        Attributes stored = nCreate();
        Attributes same = nSetCompleted();
        same.setString(Tag.PatientID, VR.LO, "PAT1");
        same.setString(Tag.PerformedStationAETitle, VR.AE, "MR_SIEMENS");
        assertThat(mapper.validateSet(stored, same)).isEmpty();

        Attributes changed = nSetCompleted();
        changed.setString(Tag.PatientID, VR.LO, "OTHER");
        var failure = mapper.validateSet(stored, changed).orElseThrow();
        assertThat(failure.status()).isEqualTo(0x0106);
        assertThat(failure.tags()).containsExactly(Tag.PatientID);
    }

    @Test
    void finishingNeedsEndDateAndTime() {
        Attributes m = new Attributes();
        m.setString(Tag.PerformedProcedureStepStatus, VR.CS, "DISCONTINUED");
        var failure = mapper.validateSet(nCreate(), m).orElseThrow();
        assertThat(failure.status()).isEqualTo(0x0121);
        assertThat(failure.tags()).containsExactly(Tag.PerformedProcedureStepEndDate, Tag.PerformedProcedureStepEndTime);
    }

    @Test
    void invalidStatusOrDateIsRefused() {
        Attributes m = new Attributes();
        m.setString(Tag.PerformedProcedureStepStatus, VR.CS, "DONE");
        assertThat(mapper.validateSet(nCreate(), m).orElseThrow().status()).isEqualTo(0x0106);
        Attributes d = nSetCompleted();
        d.setString(Tag.PerformedProcedureStepEndDate, VR.DA, "2026-11-25");
        var failure = mapper.validateSet(nCreate(), d).orElseThrow();
        assertThat(failure.status()).isEqualTo(0x0106);
        assertThat(failure.tags()).containsExactly(Tag.PerformedProcedureStepEndDate);
    }
}
