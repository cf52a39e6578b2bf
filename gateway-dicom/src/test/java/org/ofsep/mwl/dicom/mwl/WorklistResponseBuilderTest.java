package org.ofsep.mwl.dicom.mwl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.Station;
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

    /** Issue 16 #12: a line break stays where the VR has them (LT), one space where it has none (LO, PN). */
    @Test
    void lineBreaksStayInTextVrsAndBecomeOneSpaceElsewhere() {
        assertThat(WorklistResponseBuilder.clean("Suivi\r\nannuel", VR.LT)).isEqualTo("Suivi\r\nannuel");
        assertThat(WorklistResponseBuilder.clean("Suivi\r\nannuel", VR.LO)).isEqualTo("Suivi annuel");
        assertThat(WorklistResponseBuilder.clean("A\r\nB^C", VR.PN)).isEqualTo("A B^C");
    }

    /** Issue 16 #12: the answer is in the console's character set when every value fits it. */
    @Test
    void theResponseCharacterSetFollowsTheQueryWhenEveryValueFits() {
        Attributes latin = new Attributes();
        latin.setString(Tag.PatientName, VR.PN, "DUPRÉ^HÉLÈNE");
        WorklistResponseBuilder.applyCharacterSet(latin, "ISO_IR 192", "ISO_IR 100");
        assertThat(latin.getString(Tag.SpecificCharacterSet)).isEqualTo("ISO_IR 100");
        WorklistResponseBuilder.applyCharacterSet(latin, "ISO_IR 192", null);
        assertThat(latin.getString(Tag.SpecificCharacterSet)).isEqualTo("ISO_IR 192");
        Attributes polish = new Attributes();
        polish.setString(Tag.PatientName, VR.PN, "WAŁĘSA^LECH");
        WorklistResponseBuilder.applyCharacterSet(polish, "ISO_IR 192", "ISO_IR 100");
        assertThat(polish.getString(Tag.SpecificCharacterSet)).isEqualTo("ISO_IR 192");
        Attributes ascii = new Attributes();
        ascii.setString(Tag.PatientName, VR.PN, "MARTIN^PAUL");
        WorklistResponseBuilder.applyCharacterSet(ascii, "ISO_IR 100", "ISO_IR 192");
        assertThat(ascii.contains(Tag.SpecificCharacterSet)).isFalse();
        Attributes utf = new Attributes();
        utf.setString(Tag.PatientName, VR.PN, "DUPRÉ^HÉLÈNE");
        WorklistResponseBuilder.applyCharacterSet(utf, "ISO_IR 100", "ISO_IR 192");
        assertThat(utf.getString(Tag.SpecificCharacterSet)).isEqualTo("ISO_IR 192");
    }

    /**
     * A Latin-1 console that names its set the ISO 2022 way ("ISO 2022 IR 100", "\ISO 2022 IR 100") is answered in
     * Latin-1 as one that writes "ISO_IR 100" (it got UTF-8; found by an independent review); a set the gateway does
     * not answer in leaves the item's own.
     */
    @Test
    void aLatin1ConsoleIsAnsweredInLatin1HoweverItNamesItsSet() {
        WorklistItem utf8Item = Items.dupre("ISO_IR 192");
        Station siemens = Items.station(Vendor.SIEMENS, "MR_SIEMENS", false);
        String[][] asked = {{"ISO_IR 100"}, {"ISO 2022 IR 100"}, {"", "ISO 2022 IR 100"}, {"ISO 2022 IR 6", "ISO 2022 IR 100"}};
        for (String[] values : asked) {
            Attributes id = consoleIdentifier();
            id.setString(Tag.SpecificCharacterSet, VR.CS, values);
            assertThat(builder.build(utf8Item, siemens, id).getString(Tag.SpecificCharacterSet))
                    .as(String.join("\\", values)).isEqualTo("ISO_IR 100");
        }
        Attributes utf = consoleIdentifier();
        utf.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        assertThat(builder.build(Items.dupre("ISO_IR 100"), siemens, utf).getString(Tag.SpecificCharacterSet))
                .isEqualTo("ISO_IR 192");
        Attributes turkish = consoleIdentifier();
        turkish.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 148");
        assertThat(builder.build(utf8Item, siemens, turkish).getString(Tag.SpecificCharacterSet))
                .isEqualTo("ISO_IR 192");
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

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "pregnancy=yes|3", "hcg=positive|3", "pregnancy=possible|2", "pregnancy=not ruled out|4",
            "pregnancy=no|1", "hcg=negative|1", "|4",
            // the most risky answer among the facts: a possible pregnancy over a negative hCG, a stated one over both
            "pregnancy=possible;hcg=negative|2", "pregnancy=not ruled out;hcg=positive|3"})
    void pregnancyStatusSaysHowSureTheOrderIs(String facts, int status) {
        List<org.ofsep.mwl.core.domain.Fact> list = new java.util.ArrayList<>();
        if (facts != null) {
            for (String f : facts.split(";")) {
                String[] kv = f.split("=");
                list.add(new org.ofsep.mwl.core.domain.Fact(kv[0], kv[1], "OBR-13", kv[1]));
            }
        }
        var decision = new org.ofsep.mwl.core.domain.Decision(true, null, false, false, false, false,
                org.ofsep.mwl.core.domain.RuleId.ROUTINE_FOLLOW_UP, List.of(), List.of(), null, null, List.of(),
                List.of(), null, list);
        WorklistItem d = Items.dupre(null);
        WorklistItem item = new WorklistItem(d.id(), d.spsId(), d.requestedProcedureId(), d.accessionNumber(),
                d.studyInstanceUid(), d.placerOrderNumber(), d.fillerOrderNumber(), d.patient(), d.weightKg(),
                d.requestedProcedureCode(), d.requestedProcedureDescription(), d.scheduledStart(), d.modality(),
                d.stationAeTitle(), d.stationName(), d.spsDescription(), d.reason(), d.referringPhysician(),
                d.status(), decision, d.medicalAlerts(), d.requestedContrastAgent(), d.procedureComments(),
                d.specificCharacterSet(), d.priority());
        assertThat(WorklistResponseBuilder.pregnancyStatus(item)).isEqualTo(status);
        assertThat(builder.render(item, null).getInt(Tag.PregnancyStatus, 0)).isEqualTo(status);
    }

    @Test
    void valuesAreCutToTheirVRsMaximumLength() {
        WorklistItem item = Items.dupre(null);
        String longText = "x".repeat(100);
        var decision = new org.ofsep.mwl.core.domain.Decision(true, null, false, false, false, false,
                org.ofsep.mwl.core.domain.RuleId.ROUTINE_FOLLOW_UP,
                List.of(), List.of(), null, null, List.of(),
                List.of(new ProtocolCode("ABCDEFGHIJKLMNOPQRS", "99OFSEP", "m".repeat(80))), null);
        item = new WorklistItem(1, "S".repeat(20), "R".repeat(20), "A".repeat(20), item.studyInstanceUid(),
                null, null, new org.ofsep.mwl.core.domain.Patient("P", null, "N".repeat(70) + "^G", null, null),
                null, null, "desc\\with backslash", item.scheduledStart(), "MR", "MR_SIEMENS", null, longText,
                longText, null, item.status(), decision, List.of("a", "b", "", "c"), longText, null, null, null);
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

    // ---------------------------------------------------------------- the plan against render-then-project

    /** Items that exercise every rendering branch: charsets, missing parts, long values, no decision. */
    static List<WorklistItem> variedItems() {
        WorklistItem dupre = Items.dupre(null);
        var longCode = new org.ofsep.mwl.core.domain.Decision(true, null, false, false, false, false,
                org.ofsep.mwl.core.domain.RuleId.ROUTINE_FOLLOW_UP,
                List.of(), List.of(), null, null, List.of(),
                List.of(new ProtocolCode("ABCDEFGHIJKLMNOPQRS", "99OFSEP", "m".repeat(80))),
                java.util.Map.of(Vendor.GE, List.of(new ProtocolCode("GE\\1", "99GE", "ge\tcard"))));
        WorklistItem odd = new WorklistItem(7, "S".repeat(20), " R ", "A".repeat(20), dupre.studyInstanceUid(),
                null, null, new org.ofsep.mwl.core.domain.Patient("P\\1", null, "N".repeat(70) + "^G=ÉCOLE^X", null, null),
                null, null, "desc\\with backslash", dupre.scheduledStart(), "MR", "MR_GE", null, "x".repeat(100),
                "line1\r\nline2\u0001", null, dupre.status(), longCode, List.of("a; b", "c|d\\e", "z".repeat(70)), "y".repeat(100), null, null, null);
        WorklistItem bare = new WorklistItem(8, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null);
        return List.of(dupre, Items.dupre("ISO_IR 100"), Items.dupre("ISO_IR 192"),
                dupre.withPatient(new org.ofsep.mwl.core.domain.Patient("P", null, "ŁUKASZ^Ł", null, null)),
                dupre.withPatient(new org.ofsep.mwl.core.domain.Patient("P", null, "DUPONT^JEAN", null, null)),
                dupre.withPatient(null), odd, bare);
    }

    /** Identifiers drawn at random (fixed seed) from keys at their level, at the wrong level, unsupported. */
    static List<Attributes> variedIdentifiers() {
        List<Attributes> ids = new java.util.ArrayList<>(List.of(consoleIdentifier(), new Attributes()));
        int[] top = {Tag.PatientName, Tag.PatientID, Tag.IssuerOfPatientID, Tag.PatientBirthDate, Tag.PatientSex,
                Tag.PatientWeight, Tag.MedicalAlerts, Tag.Allergies, Tag.PregnancyStatus, Tag.AccessionNumber,
                Tag.ReferringPhysicianName, Tag.RequestingPhysician, Tag.StudyInstanceUID, Tag.RequestedProcedureID,
                Tag.RequestedProcedureDescription, Tag.RequestedProcedureComments, Tag.ReasonForTheRequestedProcedure,
                Tag.PlacerOrderNumberImagingServiceRequest, Tag.FillerOrderNumberImagingServiceRequest,
                Tag.RequestedProcedurePriority, Tag.Modality, Tag.PatientMotherBirthName, Tag.CodeValue,
                Tag.SpecificCharacterSet};
        int[] sps = {Tag.ScheduledStationAETitle, Tag.ScheduledProcedureStepStartDate,
                Tag.ScheduledProcedureStepStartTime, Tag.Modality, Tag.ScheduledPerformingPhysicianName,
                Tag.ScheduledProcedureStepDescription, Tag.ScheduledStationName, Tag.ScheduledProcedureStepLocation,
                Tag.PreMedication, Tag.ScheduledProcedureStepID, Tag.RequestedContrastAgent,
                Tag.ScheduledProcedureStepStatus, Tag.CommentsOnTheScheduledProcedureStep, Tag.PatientName,
                Tag.PatientMotherBirthName};
        int[] code = {Tag.CodeValue, Tag.CodingSchemeDesignator, Tag.CodeMeaning, Tag.LongCodeValue,
                Tag.PatientID};
        java.util.Random r = new java.util.Random(20261125);
        for (int n = 0; n < 200; n++) {
            Attributes id = new Attributes();
            pick(r, id, top);
            int[] seqs = {Tag.RequestedProcedureCodeSequence, Tag.ReferencedStudySequence,
                    Tag.ScheduledProcedureStepSequence, Tag.ScheduledProtocolCodeSequence};
            for (int seq : seqs) {
                switch (r.nextInt(5)) {
                    case 0 -> { } // not asked
                    case 1 -> id.setEmpty(seq, VR.SQ); // universal: the whole items
                    case 2 -> id.addItem(seq); // an empty item: the whole items too
                    case 3 -> id.setEmpty(seq, VR.UN); // a sequence key without its VR
                    default -> {
                        Attributes item = id.addItem(seq);
                        pick(r, item, seq == Tag.ScheduledProcedureStepSequence ? sps : code);
                        if (seq == Tag.ScheduledProcedureStepSequence && r.nextBoolean()) {
                            Attributes codes = item.addItem(Tag.ScheduledProtocolCodeSequence);
                            if (r.nextBoolean()) {
                                pick(r, codes, code);
                            }
                        }
                    }
                }
            }
            if (r.nextInt(4) == 0) {
                id.setEmpty(Tag.PatientID, VR.SQ); // a plain attribute asked as a sequence
            }
            ids.add(id);
        }
        return ids;
    }

    private static void pick(java.util.Random r, Attributes level, int[] tags) {
        for (int tag : tags) {
            if (r.nextInt(3) == 0) {
                VR vr = r.nextInt(6) == 0 ? VR.UN : org.ofsep.mwl.dicom.data.ElementDictionary.vrOf(tag);
                level.setEmpty(tag, vr == VR.UN && org.ofsep.mwl.dicom.data.ElementDictionary.vrOf(tag) == VR.SQ
                        ? VR.SQ : vr);
            }
        }
    }

    @Test
    void thePlanGivesWhatRenderingEverythingThenProjectingGives() {
        List<org.ofsep.mwl.core.domain.Station> stations = new java.util.ArrayList<>();
        stations.add(null);
        for (Vendor v : Vendor.values()) {
            stations.add(Items.station(v, "MR_" + v, false));
        }
        int compared = 0;
        for (Attributes id : variedIdentifiers()) {
            WorklistResponseBuilder.Plan plan = builder.plan(id);
            for (WorklistItem item : variedItems()) {
                for (var station : stations) {
                    Attributes expected = WorklistResponseBuilder.project(
                            WorklistResponseBuilder.renderValues(item, station), id);
                    WorklistResponseBuilder.applyCharacterSet(expected, item.specificCharacterSet());
                    Attributes actual = plan.build(item, station);
                    assertThat(actual).as("%s for %s", id, item.spsId()).isEqualTo(expected);
                    assertThat(DicomWriter.write(actual, TransferSyntax.EXPLICIT_VR_LE))
                            .isEqualTo(DicomWriter.write(expected, TransferSyntax.EXPLICIT_VR_LE));
                    compared++;
                }
            }
        }
        assertThat(compared).isEqualTo(202 * 8 * 5);
    }

    @Test
    void aPlanServesManyItemsWithoutCarryingValuesOver() {
        WorklistResponseBuilder.Plan plan = builder.plan(consoleIdentifier());
        var station = Items.station(Vendor.SIEMENS, "MR_SIEMENS", false);
        Attributes first = plan.build(Items.dupre("ISO_IR 100"), station);
        Attributes second = plan.build(Items.dupre(null).withPatient(
                new org.ofsep.mwl.core.domain.Patient("P2", null, "DUPONT^JEAN", null, null)), station);
        assertThat(first.getString(Tag.PatientName)).isEqualTo("DUPRÉ^HÉLÈNE");
        assertThat(first.getString(Tag.SpecificCharacterSet)).isEqualTo("ISO_IR 100");
        assertThat(second.getString(Tag.PatientName)).isEqualTo("DUPONT^JEAN");
        assertThat(second.contains(Tag.PatientBirthDate)).isTrue();
        assertThat(second.containsValue(Tag.PatientBirthDate)).isFalse();
    }
}
