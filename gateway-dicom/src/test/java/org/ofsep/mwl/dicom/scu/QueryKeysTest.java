package org.ofsep.mwl.dicom.scu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.dicom.data.Attributes;
import org.ofsep.mwl.dicom.data.Tag;

class QueryKeysTest {

    @Test
    void findscuStyleExpressions() {
        Attributes k = QueryKeys.parse(List.of("PatientName=DUP*", "PatientID", "(0008,0050)=ACC1",
                "ScheduledProcedureStepSequence[0].Modality=MR", "ScheduledProcedureStepSequence[0].ScheduledStationAETitle=MR_GE",
                "ScheduledProcedureStepSequence[0].ScheduledProtocolCodeSequence[0].CodeValue",
                "StudyInstanceUID=1.2.3\\1.2.4"));
        assertThat(k.getString(Tag.PatientName)).isEqualTo("DUP*");
        assertThat(k.contains(Tag.PatientID)).isTrue();
        assertThat(k.containsValue(Tag.PatientID)).isFalse();
        assertThat(k.getString(Tag.AccessionNumber)).isEqualTo("ACC1");
        Attributes sps = k.getItem(Tag.ScheduledProcedureStepSequence, 0);
        assertThat(k.getSequence(Tag.ScheduledProcedureStepSequence)).hasSize(1);
        assertThat(sps.getString(Tag.Modality)).isEqualTo("MR");
        assertThat(sps.getString(Tag.ScheduledStationAETitle)).isEqualTo("MR_GE");
        assertThat(sps.getItem(Tag.ScheduledProtocolCodeSequence, 0).contains(Tag.CodeValue)).isTrue();
        assertThat(k.getStrings(Tag.StudyInstanceUID)).containsExactly("1.2.3", "1.2.4");
    }

    @Test
    void badExpressionsSayWhatIsWrong() {
        assertThatThrownBy(() -> QueryKeys.parse(List.of("NoSuchKeyword=1"))).hasMessageContaining("unknown attribute");
        assertThatThrownBy(() -> QueryKeys.parse(List.of("PatientID[0].Modality=MR"))).hasMessageContaining("not a sequence");
    }

    @Test
    void consoleKeysForOwnStationToday() {
        Attributes k = QueryKeys.console("MR_GE", LocalDate.of(2026, 11, 25), "MR");
        Attributes sps = k.getItem(Tag.ScheduledProcedureStepSequence, 0);
        assertThat(sps.getString(Tag.ScheduledStationAETitle)).isEqualTo("MR_GE");
        assertThat(sps.getString(Tag.ScheduledProcedureStepStartDate)).isEqualTo("20261125");
        assertThat(k.contains(Tag.PatientName)).isTrue();
        assertThat(QueryKeys.console(null, null, null).getItem(Tag.ScheduledProcedureStepSequence, 0)
                .containsValue(Tag.ScheduledStationAETitle)).isFalse();
    }
}
