package org.ofsep.mwl.dicom.mwl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.domain.Vendor;
import org.ofsep.mwl.core.domain.WorklistItem;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.data.VR;

/** Residual matching on rendered responses, as the C-FIND SCP applies it: translate, build, match. */
class WorklistMatcherTest {

    private final WorklistQueryTranslator translator = new WorklistQueryTranslator(false, 0);
    private final WorklistResponseBuilder builder = new WorklistResponseBuilder();
    private final Station station = Items.station(Vendor.SIEMENS, "MR_SIEMENS", false);
    private final Station fuzzyStation = Items.station(Vendor.PHILIPS, "MR_PHILIPS", true);

    private final WorklistItem dupre = Items.dupre("ISO_IR 100"); // 2026-11-25 09:30, MR_SIEMENS

    private boolean matches(Attributes id, WorklistItem item, Station s) throws Exception {
        WorklistQueryTranslator.Translation t = translator.translate(id, s);
        return t.residual().matches(builder.build(item, s, id));
    }

    private boolean matches(Attributes id) throws Exception {
        return matches(id, dupre, station);
    }

    private static Attributes key(int tag, VR vr, String... values) {
        Attributes id = new Attributes();
        id.setString(tag, vr, values);
        return id;
    }

    private static Attributes spsKey(int tag, VR vr, String value) {
        Attributes id = new Attributes();
        id.addItem(Tag.ScheduledProcedureStepSequence).setString(tag, vr, value);
        return id;
    }

    @Test
    void universalMatching() throws Exception {
        assertThat(matches(new Attributes())).isTrue();
        assertThat(matches(key(Tag.PatientName, VR.PN))).isTrue();
        Attributes id = new Attributes();
        id.setEmpty(Tag.ScheduledProcedureStepSequence, VR.SQ);
        assertThat(matches(id)).isTrue();
    }

    /** Issue 16 #6: "*" alone is universal matching (PS3.4 C.2.2.2.4), so it matches an empty value too. */
    @Test
    void aLoneStarMatchesEmptyValues() throws Exception {
        WorklistItem empty = new WorklistItem(1, "SPS9", "RP9", null, "1.2.3", "PL9", null,
                new org.ofsep.mwl.core.domain.Patient("PAT9", null, null, null, null), null, null, null,
                dupre.scheduledStart(), "MR", "MR_SIEMENS", null, null, null, null,
                org.ofsep.mwl.core.domain.SpsStatus.SCHEDULED, null, null, null, null, null, null);
        assertThat(matches(key(Tag.ReferringPhysicianName, VR.PN, "*"), empty, station)).isTrue();
        assertThat(matches(key(Tag.AccessionNumber, VR.SH, "*"), empty, station)).isTrue();
        assertThat(matches(key(Tag.PatientName, VR.PN, "*"), empty, station)).isTrue();
        assertThat(matches(key(Tag.PatientName, VR.PN, "**"), empty, station)).isTrue();
        assertThat(matches(key(Tag.ReferringPhysicianName, VR.PN, "*"), empty, fuzzyStation)).isTrue();
        // a pattern with anything else still needs a value
        assertThat(matches(key(Tag.ReferringPhysicianName, VR.PN, "M*"), empty, station)).isFalse();
        assertThat(matches(key(Tag.AccessionNumber, VR.SH, "?*"), empty, station)).isFalse();
        assertThat(matches(key(Tag.ReferringPhysicianName, VR.PN, "*"))).isTrue();
    }

    @Test
    void singleValueMatching() throws Exception {
        assertThat(matches(key(Tag.PatientID, VR.LO, "PAT1"))).isTrue();
        assertThat(matches(key(Tag.PatientID, VR.LO, "PAT2"))).isFalse();
        assertThat(matches(key(Tag.PatientID, VR.LO, "pat1"))).isFalse(); // case-sensitive
        assertThat(matches(key(Tag.AccessionNumber, VR.SH, "ACCSPS1"))).isTrue();
        assertThat(matches(key(Tag.PatientName, VR.PN, "DUPRÉ^HÉLÈNE"))).isTrue();
        assertThat(matches(key(Tag.PatientName, VR.PN, "DUPRÉ^HÉLÈNE^^"))).isTrue();
        assertThat(matches(key(Tag.PatientSex, VR.CS, "M"))).isFalse();
        assertThat(matches(key(Tag.PatientBirthDate, VR.DA, "19800131"))).isTrue();
    }

    @Test
    void wildcardMatching() throws Exception {
        assertThat(matches(key(Tag.PatientName, VR.PN, "DUP*"))).isTrue();
        assertThat(matches(key(Tag.PatientName, VR.PN, "DUPR?^H*"))).isTrue();
        assertThat(matches(key(Tag.PatientName, VR.PN, "*HÉLÈNE"))).isTrue();
        assertThat(matches(key(Tag.PatientName, VR.PN, "DUPRE*"))).isFalse(); // accent differs
        assertThat(matches(key(Tag.PatientName, VR.PN, "DUP?"))).isFalse();
        assertThat(matches(key(Tag.AccessionNumber, VR.SH, "ACC*1"))).isTrue();
        assertThat(matches(spsKey(Tag.ScheduledStationAETitle, VR.AE, "MR_*"))).isTrue();
        assertThat(matches(spsKey(Tag.ScheduledStationAETitle, VR.AE, "CT_*"))).isFalse();
    }

    /**
     * PS3.5 6.2: "DUPRÉ^HÉLÈNE" is "DUPRÉ^HÉLÈNE^^^", so a key that asks for any middle name ("DUPRÉ^HÉLÈNE^*", a
     * console building its key component by component) matches it; it found nothing (found by an independent
     * review). The given name is still matched exactly: "DUPRÉ^HÉL^*" does not match HÉLÈNE.
     */
    @Test
    void trailingAnyComponentsMatchANameWithoutThem() throws Exception {
        assertThat(matches(key(Tag.PatientName, VR.PN, "DUPRÉ^HÉLÈNE^*"))).isTrue();
        assertThat(matches(key(Tag.PatientName, VR.PN, "DUPRÉ^HÉLÈNE^*^*^*"))).isTrue();
        assertThat(matches(key(Tag.PatientName, VR.PN, "DUPRÉ^*^*"))).isTrue();
        assertThat(matches(key(Tag.PatientName, VR.PN, "*^*^*"))).isTrue();
        assertThat(matches(key(Tag.PatientName, VR.PN, "DUPRÉ^HÉL^*"))).isFalse();
        assertThat(matches(key(Tag.PatientName, VR.PN, "DUPRÉ^*^X"))).isFalse();
        assertThat(matches(key(Tag.PatientName, VR.PN, "MARTIN^*^*"))).isFalse();
        assertThat(matches(key(Tag.PatientName, VR.PN, "DUPRÉ^HÉLÈNE^X*"))).isFalse();
        // a trailing group of wildcards matches a name stored without ideographic or phonetic groups
        assertThat(matches(key(Tag.PatientName, VR.PN, "DUPRÉ^HÉLÈNE=*"))).isTrue();
        assertThat(matches(key(Tag.PatientName, VR.PN, "DUPRÉ^HÉLÈNE=*=*"))).isTrue();
        assertThat(matches(key(Tag.PatientName, VR.PN, "DUPRÉ^HÉLÈNE=山田*"))).isFalse();
        assertThat(matches(key(Tag.PatientName, VR.PN, "dupre^helene^*"), Items.item("SPS2", "PAT2", "DUPRÉ^HÉLÈNE",
                LocalDateTime.of(2026, 11, 25, 10, 0), "MR_PHILIPS", "ISO_IR 100"), fuzzyStation)).isTrue();
    }

    /** Several values on a key: any of them matches (the store no longer selects on the first alone). */
    @Test
    void severalValuesMatchAsAList() throws Exception {
        assertThat(matches(key(Tag.PatientID, VR.LO, "P002", "PAT1"))).isTrue();
        assertThat(matches(key(Tag.PatientID, VR.LO, "P002", "P003"))).isFalse();
        Attributes modalities = new Attributes();
        modalities.addItem(Tag.ScheduledProcedureStepSequence).setString(Tag.Modality, VR.CS, "CT", "MR");
        assertThat(matches(modalities)).isTrue();
        Attributes stations = new Attributes();
        stations.addItem(Tag.ScheduledProcedureStepSequence).setString(Tag.ScheduledStationAETitle, VR.AE, "CT_*",
                "MR_S*");
        assertThat(matches(stations)).isTrue();
    }

    @Test
    void fuzzyNamesIgnoreCaseAndAccentsForTheirStation() throws Exception {
        WorklistItem forPhilips = Items.item("SPS2", "PAT2", "DUPRÉ^HÉLÈNE", LocalDateTime.of(2026, 11, 25, 10, 0),
                "MR_PHILIPS", "ISO_IR 100");
        assertThat(matches(key(Tag.PatientName, VR.PN, "dupre^helene"), forPhilips, fuzzyStation)).isTrue();
        assertThat(matches(key(Tag.PatientName, VR.PN, "Dupre*"), forPhilips, fuzzyStation)).isTrue();
        assertThat(matches(key(Tag.PatientName, VR.PN, "dupre^helene"), forPhilips, station)).isFalse();
    }

    @Test
    void listOfUidMatching() throws Exception {
        String uid = dupre.studyInstanceUid();
        assertThat(matches(key(Tag.StudyInstanceUID, VR.UI, "1.2.3", uid))).isTrue();
        assertThat(matches(key(Tag.StudyInstanceUID, VR.UI, "1.2.3", "1.2.4"))).isFalse();
    }

    @Test
    void dateRangeMatchingInTheSpsSequence() throws Exception {
        assertThat(matches(spsKey(Tag.ScheduledProcedureStepStartDate, VR.DA, "20261125"))).isTrue();
        assertThat(matches(spsKey(Tag.ScheduledProcedureStepStartDate, VR.DA, "20261124"))).isFalse();
        assertThat(matches(spsKey(Tag.ScheduledProcedureStepStartDate, VR.DA, "20261120-20261130"))).isTrue();
        assertThat(matches(spsKey(Tag.ScheduledProcedureStepStartDate, VR.DA, "20261125-"))).isTrue();
        assertThat(matches(spsKey(Tag.ScheduledProcedureStepStartDate, VR.DA, "20261126-"))).isFalse();
        assertThat(matches(spsKey(Tag.ScheduledProcedureStepStartDate, VR.DA, "-20261125"))).isTrue();
        assertThat(matches(spsKey(Tag.ScheduledProcedureStepStartDate, VR.DA, "-20261124"))).isFalse();
    }

    @Test
    void timeRangeAloneMatchesTheTimeOfDay() throws Exception {
        assertThat(matches(spsKey(Tag.ScheduledProcedureStepStartTime, VR.TM, "0900-1000"))).isTrue();
        assertThat(matches(spsKey(Tag.ScheduledProcedureStepStartTime, VR.TM, "1000-"))).isFalse();
        assertThat(matches(spsKey(Tag.ScheduledProcedureStepStartTime, VR.TM, "-09"))).isTrue(); // 09:59:59
        assertThat(matches(spsKey(Tag.ScheduledProcedureStepStartTime, VR.TM, "0930"))).isTrue();
    }

    @Test
    void combinedDateTimeRange() throws Exception {
        Attributes id = new Attributes();
        Attributes sps = id.addItem(Tag.ScheduledProcedureStepSequence);
        // one range from the 24th 10:00 to the 26th 08:00 contains the 25th 09:30, although 09:30 is not a time
        // of day between 10:00 and 08:00; the range 24th 10:00 to 25th 09:00 does not contain it
        sps.setString(Tag.ScheduledProcedureStepStartDate, VR.DA, "20261124-20261126");
        sps.setString(Tag.ScheduledProcedureStepStartTime, VR.TM, "1000-0800");
        assertThat(matches(id)).isTrue();
        sps.setString(Tag.ScheduledProcedureStepStartDate, VR.DA, "20261124-20261125");
        sps.setString(Tag.ScheduledProcedureStepStartTime, VR.TM, "1000-0900");
        assertThat(matches(id)).isFalse();
    }

    @Test
    void sequenceMatchingOnSpsItems() throws Exception {
        Attributes id = new Attributes();
        Attributes sps = id.addItem(Tag.ScheduledProcedureStepSequence);
        sps.setString(Tag.Modality, VR.CS, "MR");
        sps.setString(Tag.ScheduledStationAETitle, VR.AE, "MR_SIEMENS");
        assertThat(matches(id)).isTrue();
        sps.setString(Tag.Modality, VR.CS, "CT");
        assertThat(matches(id)).isFalse();
        // a key in a nested code sequence
        Attributes id2 = new Attributes();
        id2.addItem(Tag.ScheduledProcedureStepSequence).addItem(Tag.ScheduledProtocolCodeSequence)
                .setString(Tag.CodeValue, VR.SH, "OFSEP-FULL-GD");
        assertThat(matches(id2)).isTrue();
        id2.getItem(Tag.ScheduledProcedureStepSequence, 0).getItem(Tag.ScheduledProtocolCodeSequence, 0)
                .setString(Tag.CodeValue, VR.SH, "OFSEP-ROUTINE");
        assertThat(matches(id2)).isFalse();
    }

    @Test
    void spsStatusKeyIsMatched() throws Exception {
        assertThat(matches(spsKey(Tag.ScheduledProcedureStepStatus, VR.CS, "SCHEDULED"))).isTrue();
        assertThat(matches(spsKey(Tag.ScheduledProcedureStepStatus, VR.CS, "STARTED"))).isFalse();
    }

    @Test
    void unsupportedOptionalKeysAreNotMatched() throws Exception {
        assertThat(matches(key(Tag.PatientMotherBirthName, VR.PN, "SOMEONE"))).isTrue();
        assertThat(matches(key(Tag.EthnicGroup, VR.SH, "X"))).isTrue();
    }

    @Test
    void emptyValueInTheItemDoesNotMatchANonUniversalKey() throws Exception {
        WorklistItem noWeight = new WorklistItem(1, "SPS9", "RP9", "ACC9", "1.2.9", null, null, dupre.patient(),
                null, null, null, dupre.scheduledStart(), "MR", "MR_SIEMENS", null, null, null, null,
                dupre.status(), dupre.decision(), null, null, null, null, null);
        assertThat(matches(key(Tag.PatientWeight, VR.DS, "70"), noWeight, station)).isFalse();
        assertThat(matches(key(Tag.PatientWeight, VR.DS, "70"), dupre, station)).isTrue();
    }

    @Test
    void keysTheGatewayHasNoDataForAreReturnedEmptyButNotMatched() throws Exception {
        Attributes id = spsKey(Tag.ScheduledProcedureStepLocation, VR.SH, "SALLE*");
        id.setString(Tag.Allergies, VR.LO, "IODINE");
        assertThat(matches(id)).isTrue();
        Attributes rsp = builder.build(dupre, station, id);
        assertThat(rsp.contains(Tag.Allergies)).isTrue();
        assertThat(rsp.containsValue(Tag.Allergies)).isFalse();
    }

    @Test
    void wildcardHelper() {
        assertThat(WorklistMatcher.wildcard("A*B?", "AxxxBy")).isTrue();
        assertThat(WorklistMatcher.wildcard("A*B?", "AB")).isFalse();
        assertThat(WorklistMatcher.wildcard("a.b", "axb")).isFalse(); // regex characters are literal
        assertThat(WorklistMatcher.wildcard("*", "")).isTrue();
    }

    @Test
    void aQueryInLatin1IsDecodedBeforeMatching() throws Exception {
        Attributes id = new Attributes();
        id.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        id.setString(Tag.PatientName, VR.PN, "DUPRÉ*");
        byte[] wire = org.ofsep.mwl.dicom.data.DicomWriter.write(id, org.ofsep.mwl.dicom.data.TransferSyntax.IMPLICIT_VR_LE);
        assertThat(java.util.HexFormat.of().formatHex(wire)).contains("44555052c92a"); // É as one Latin-1 byte
        Attributes decoded = org.ofsep.mwl.dicom.data.DicomReader.read(wire,
                org.ofsep.mwl.dicom.data.TransferSyntax.IMPLICIT_VR_LE);
        assertThat(translator.translate(decoded, station).query().patientName()).isEqualTo("DUPRÉ*");
        assertThat(matches(decoded)).isTrue();
    }

    @Test
    void severalKeyValuesAreAList() throws Exception {
        Attributes id = new Attributes();
        id.addItem(Tag.ScheduledProcedureStepSequence).setString(Tag.ScheduledStationAETitle, VR.AE, "MR_GE", "MR_SIEMENS");
        assertThat(translator.translate(id, station).query().stationAeTitles()).containsExactly("MR_GE", "MR_SIEMENS");
        assertThat(matches(id)).isTrue();
        id.getItem(Tag.ScheduledProcedureStepSequence, 0).setString(Tag.ScheduledStationAETitle, VR.AE, "MR_GE", "CT1");
        assertThat(matches(id)).isFalse();
    }

    @Test
    void aKeyAtTheWrongLevelIsNotMatched() throws Exception {
        // Modality belongs in the SPS item; at the top level it is an unsupported key there, not a filter
        assertThat(matches(key(Tag.Modality, VR.CS, "CT"))).isTrue();
        // and Patient ID inside the SPS item likewise
        assertThat(matches(spsKey(Tag.PatientID, VR.LO, "OTHER"))).isTrue();
        // at the right level it filters
        assertThat(matches(spsKey(Tag.Modality, VR.CS, "CT"))).isFalse();
    }

    @Test
    void wildcardMatchingDoesNotBacktrackOnManyStars() {
        String name = "A".repeat(60) + "^" + "A".repeat(60);
        long start = System.nanoTime();
        org.assertj.core.api.Assertions.assertThat(WorklistMatcher.wildcard("*A*A*A*A*A*A*A*A*A*A*B", name)).isFalse();
        org.assertj.core.api.Assertions.assertThat(WorklistMatcher.wildcard("*A*A*A*A*A*A*A*A*A*A*", name)).isTrue();
        org.assertj.core.api.Assertions.assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
                .isLessThan(java.time.Duration.ofMillis(200));
        org.assertj.core.api.Assertions.assertThat(WorklistMatcher.wildcard("D?P*N*", "DUPONT^JEAN")).isTrue();
        org.assertj.core.api.Assertions.assertThat(WorklistMatcher.wildcard("*", "")).isTrue();
        org.assertj.core.api.Assertions.assertThat(WorklistMatcher.wildcard("?", "")).isFalse();
        org.assertj.core.api.Assertions.assertThat(WorklistMatcher.wildcard("A*B*C", "AxxBxxC")).isTrue();
        org.assertj.core.api.Assertions.assertThat(WorklistMatcher.wildcard("A*B*C", "AxxBxxCx")).isFalse();
        org.assertj.core.api.Assertions.assertThat(WorklistMatcher.wildcard("H?L?NE", "HÉLÈNE")).isTrue();
    }
}
