package org.ofsep.mwl.dicom.mwl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.domain.SpsStatus;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.domain.Vendor;
import org.ofsep.mwl.core.store.WorklistQuery;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.Tag;
import org.ofsep.mwl.dicom.data.VR;

class WorklistQueryTranslatorTest {

    private final WorklistQueryTranslator translator = new WorklistQueryTranslator(false, 500);
    private final Station siemens = Items.station(Vendor.SIEMENS, "MR_SIEMENS", false);

    private static Attributes sps(String date, String time) {
        Attributes id = new Attributes();
        Attributes sps = id.addItem(Tag.ScheduledProcedureStepSequence);
        if (date != null) {
            sps.setString(Tag.ScheduledProcedureStepStartDate, VR.DA, date);
        }
        if (time != null) {
            sps.setString(Tag.ScheduledProcedureStepStartTime, VR.TM, time);
        }
        return id;
    }

    private WorklistQuery q(Attributes id) throws Exception {
        return translator.translate(id, siemens).query();
    }

    @Test
    void universalQuery() throws Exception {
        WorklistQuery q = q(new Attributes());
        assertThat(q.stationAeTitles()).isEmpty();
        assertThat(q.modality()).isNull();
        assertThat(q.startFrom()).isNull();
        assertThat(q.startTo()).isNull();
        assertThat(q.patientName()).isNull();
        assertThat(q.statuses()).containsExactly(SpsStatus.SCHEDULED);
        assertThat(q.limit()).isEqualTo(500);
        assertThat(new WorklistQueryTranslator(true, 0).translate(new Attributes(), siemens).query().statuses())
                .isEqualTo(Set.of(SpsStatus.SCHEDULED, SpsStatus.STARTED));
    }

    @Test
    void indexedKeys() throws Exception {
        Attributes id = WorklistResponseBuilderTest.consoleIdentifier();
        id.setString(Tag.PatientID, VR.LO, "PAT1");
        id.setString(Tag.IssuerOfPatientID, VR.LO, "HOSP");
        id.setString(Tag.PatientName, VR.PN, "DUP*^H?L*");
        id.setString(Tag.AccessionNumber, VR.SH, "ACC*");
        id.setString(Tag.RequestedProcedureID, VR.SH, "RP1");
        id.setString(Tag.StudyInstanceUID, VR.UI, "1.2.3", "1.2.4");
        id.getItem(Tag.ScheduledProcedureStepSequence, 0).setString(Tag.ScheduledProcedureStepID, VR.SH, "SPS1");
        WorklistQuery q = q(id);
        assertThat(q.stationAeTitles()).containsExactly("MR_SIEMENS");
        assertThat(q.modality()).isEqualTo("MR");
        assertThat(q.patientId()).isEqualTo("PAT1");
        assertThat(q.issuerOfPatientId()).isEqualTo("HOSP");
        assertThat(q.patientName()).isEqualTo("DUP*^H?L*");
        assertThat(q.fuzzyNames()).isFalse();
        assertThat(q.accessionNumber()).isEqualTo("ACC*");
        assertThat(q.requestedProcedureId()).isEqualTo("RP1");
        assertThat(q.spsId()).isEqualTo("SPS1");
        assertThat(q.studyInstanceUids()).containsExactly("1.2.3", "1.2.4");
        assertThat(translator.translate(id, Items.station(Vendor.GE, "MR_GE", true)).query().fuzzyNames()).isTrue();
    }

    /** "DUPONT^JEAN^*" selects "DUPONT^JEAN*" in the store, which holds DUPONT^JEAN; the matcher narrows. */
    @Test
    void trailingAnyComponentsSelectTheirShorterFormToo() throws Exception {
        String[][] cases = {{"DUPONT^JEAN^*", "DUPONT^JEAN*"}, {"DUPONT^*^*", "DUPONT*"}, {"DUP*^*", "DUP*"},
            {"*^*^*", null}, {"DUPONT^JEAN", "DUPONT^JEAN"}, {"DUPONT^^*", "DUPONT*"},
            // a trailing component group of wildcards (a Japanese console's "=*"): any group, or none
            {"DUPONT^JEAN=*", "DUPONT^JEAN*"}, {"DUPONT^JEAN=*^*=*", "DUPONT^JEAN*"}, {"*=*", null},
            {"YAMADA^TARO=山田^太郎", "YAMADA^TARO=山田^太郎"}};
        for (String[] c : cases) {
            Attributes id = new Attributes();
            id.setString(Tag.PatientName, VR.PN, c[0]);
            assertThat(q(id).patientName()).as(c[0]).isEqualTo(c[1]);
        }
    }

    /**
     * Several values on a single-valued key ("P002\P001", "CT\MR") are left out of the store's selection and
     * matched as a list by the matcher (any of them); the first value alone was used, silently. A station list
     * holding a pattern is not an IN of literal titles. A date or time key with several values is refused (A900).
     */
    @Test
    void severalValuesAreMatchedAsAListAndSeveralDatesRefused() throws Exception {
        Attributes id = new Attributes();
        id.setString(Tag.PatientID, VR.LO, "P002", "P001");
        id.setString(Tag.PatientName, VR.PN, "A*", "B*");
        Attributes sps = id.addItem(Tag.ScheduledProcedureStepSequence);
        sps.setString(Tag.Modality, VR.CS, "CT", "MR");
        sps.setString(Tag.ScheduledStationAETitle, VR.AE, "MR_G*", "MR_CANON");
        WorklistQuery q = q(id);
        assertThat(q.patientId()).isNull();
        assertThat(q.patientName()).isNull();
        assertThat(q.modality()).isNull();
        assertThat(q.stationAeTitles()).isEmpty();
        Attributes titles = new Attributes();
        titles.addItem(Tag.ScheduledProcedureStepSequence).setString(Tag.ScheduledStationAETitle, VR.AE, "MR_GE",
                "MR_CANON");
        assertThat(q(titles).stationAeTitles()).containsExactly("MR_GE", "MR_CANON");
        for (int tag : new int[] {Tag.ScheduledProcedureStepStartDate, Tag.ScheduledProcedureStepStartTime}) {
            Attributes two = new Attributes();
            two.addItem(Tag.ScheduledProcedureStepSequence).setString(tag,
                    tag == Tag.ScheduledProcedureStepStartDate ? VR.DA : VR.TM,
                    tag == Tag.ScheduledProcedureStepStartDate ? new String[] {"20261206", "20261207"}
                            : new String[] {"0800", "0900"});
            assertThatThrownBy(() -> q(two)).isInstanceOf(InvalidIdentifierException.class)
                    .hasMessageContaining("several values").satisfies(e -> assertThat(e.getMessage().length())
                            .isLessThanOrEqualTo(64));
        }
    }

    /** Every value of a date key is a date or a range: the second one was not checked. */
    @Test
    void everyValueOfADateKeyIsChecked() {
        Attributes id = new Attributes();
        id.setString(Tag.PatientBirthDate, VR.DA, "19760715", "XYZ");
        assertThatThrownBy(() -> q(id)).isInstanceOf(InvalidIdentifierException.class)
                .hasMessageContaining("PatientBirthDate");
    }

    /** PS3.4 C.2.2.2.6: a key sequence has one item; the keys of a second were silently ignored. */
    @Test
    void aKeySequenceWithTwoItemsIsRefused() {
        Attributes id = new Attributes();
        id.addItem(Tag.ScheduledProcedureStepSequence).setString(Tag.ScheduledStationAETitle, VR.AE, "MR_GE");
        id.addItem(Tag.ScheduledProcedureStepSequence).setString(Tag.ScheduledStationAETitle, VR.AE, "MR_SIEMENS");
        assertThatThrownBy(() -> q(id)).isInstanceOf(InvalidIdentifierException.class)
                .hasMessageContaining("2 items").extracting("tag").isEqualTo(Tag.ScheduledProcedureStepSequence);
    }

    @Test
    void starAloneAndEmptyAreUniversal() throws Exception {
        Attributes id = new Attributes();
        id.setString(Tag.PatientName, VR.PN, "*");
        id.setEmpty(Tag.PatientID, VR.LO);
        id.setString(Tag.AccessionNumber, VR.SH, "**");
        WorklistQuery q = q(id);
        assertThat(q.patientName()).isNull();
        assertThat(q.patientId()).isNull();
        assertThat(q.accessionNumber()).isNull();
    }

    @Test
    void singleDateIsTheWholeDay() throws Exception {
        WorklistQuery q = q(sps("20261125", null));
        assertThat(q.startFrom()).isEqualTo(LocalDateTime.of(2026, 11, 25, 0, 0));
        assertThat(q.startTo()).isEqualTo(LocalDateTime.of(2026, 11, 25, 23, 59, 59, 999_999_000));
    }

    @Test
    void dateRangesIncludingOpenEnded() throws Exception {
        WorklistQuery q = q(sps("20261125-20261130", null));
        assertThat(q.startFrom()).isEqualTo(LocalDateTime.of(2026, 11, 25, 0, 0));
        assertThat(q.startTo()).isEqualTo(LocalDateTime.of(2026, 11, 30, 23, 59, 59, 999_999_000));
        q = q(sps("20261125-", null));
        assertThat(q.startFrom()).isEqualTo(LocalDateTime.of(2026, 11, 25, 0, 0));
        assertThat(q.startTo()).isNull();
        q = q(sps("-20261130", null));
        assertThat(q.startFrom()).isNull();
        assertThat(q.startTo()).isEqualTo(LocalDateTime.of(2026, 11, 30, 23, 59, 59, 999_999_000));
    }

    @Test
    void dateAndTimeCombineIntoOneDateTimeRange() throws Exception {
        WorklistQuery q = q(sps("20261125-20261126", "0800-1200"));
        assertThat(q.startFrom()).isEqualTo(LocalDateTime.of(2026, 11, 25, 8, 0));
        assertThat(q.startTo()).isEqualTo(LocalDateTime.of(2026, 11, 26, 12, 0, 59, 999_999_000));
        q = q(sps("20261125", "0930"));
        assertThat(q.startFrom()).isEqualTo(LocalDateTime.of(2026, 11, 25, 9, 30));
        assertThat(q.startTo()).isEqualTo(LocalDateTime.of(2026, 11, 25, 9, 30, 59, 999_999_000));
        q = q(sps("20261125", "14-"));
        assertThat(q.startFrom()).isEqualTo(LocalDateTime.of(2026, 11, 25, 14, 0));
        assertThat(q.startTo()).isEqualTo(LocalDateTime.of(2026, 11, 25, 23, 59, 59, 999_999_000));
        // a time without a date cannot bound the SQL: left to the residual matcher
        q = q(sps(null, "0800-1200"));
        assertThat(q.startFrom()).isNull();
        assertThat(q.startTo()).isNull();
    }

    @Test
    void malformedDatesAreInvalidIdentifiers() {
        assertThatThrownBy(() -> q(sps("2026-11-25", null))).isInstanceOf(InvalidIdentifierException.class)
                .satisfies(e -> assertThat(((InvalidIdentifierException) e).tag())
                        .isEqualTo(Tag.ScheduledProcedureStepStartDate));
        assertThatThrownBy(() -> q(sps("20261325", null))).isInstanceOf(InvalidIdentifierException.class);
        assertThatThrownBy(() -> q(sps("20261125", "25h"))).isInstanceOf(InvalidIdentifierException.class);
    }

    @Test
    void trailingEmptyNameComponentsAreDropped() throws Exception {
        Attributes id = new Attributes();
        id.setString(Tag.PatientName, VR.PN, "DOE^JOHN^^^");
        assertThat(q(id).patientName()).isEqualTo("DOE^JOHN");
    }
}
