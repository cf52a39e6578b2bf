package org.ofsep.mwl.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.PriorExam;

class GdReportTest {
    private static final LocalDate FROM = LocalDate.of(2026, 1, 1);
    private static final LocalDate TO = LocalDate.of(2026, 12, 31);

    @Test
    void countsCardsInjectionsAndAvoidedAgainstTheAnnualGdPractice() {
        List<PriorExam> exams = List.of(
                new PriorExam("PAT1001", LocalDate.of(2026, 2, 1), ExamCard.FULL, true, 7.0, true, "A1"),
                new PriorExam("PAT1001", LocalDate.of(2026, 8, 1), ExamCard.FULL, true, 7.0, false, "A2"),
                new PriorExam("PAT1002", LocalDate.of(2026, 3, 1), ExamCard.ROUTINE, false, null, false, "A3"),
                new PriorExam("PAT1003", LocalDate.of(2026, 4, 1), ExamCard.PML_SHORT, false, null, false, "A4"),
                new PriorExam("PAT1004", LocalDate.of(2026, 5, 1), ExamCard.FULL, true, 6.0, false, "A5"),
                // outside the period, and a non-OFSEP exam: not counted
                new PriorExam("PAT1002", LocalDate.of(2025, 12, 31), ExamCard.FULL, true, 6.0, false, "A6"),
                new PriorExam("PAT1005", LocalDate.of(2026, 6, 1), null, true, 5.0, false, "A7"));

        GdReport report = GdReport.of(FROM, TO, exams, 10, false);

        assertThat(report.exams()).isEqualTo(5);
        assertThat(report.byCard()).containsEntry(ExamCard.FULL, 3).containsEntry(ExamCard.ROUTINE, 1)
                .containsEntry(ExamCard.PML_SHORT, 1);
        assertThat(report.injectionsGiven()).isEqualTo(3);
        assertThat(report.formerPracticeInjections()).isEqualTo(5);
        assertThat(report.injectionsAvoided()).isEqualTo(2);
        assertThat(report.totalGdMmol()).isEqualTo(20.0);
        assertThat(report.topPatients()).hasSize(2);
        assertThat(report.topPatients().get(0)).isEqualTo(new GdReport.PatientGd("PAT***01", 2, 14.0));
        assertThat(report.toJson()).containsEntry("injectionsAvoided", 2).containsKey("byCard");
    }

    @Test
    void revealsIdsOnlyWhenAsked() {
        List<PriorExam> exams = List.of(
                new PriorExam("PAT1001", LocalDate.of(2026, 2, 1), ExamCard.FULL, true, 7.0, true, "A1"));
        assertThat(GdReport.of(FROM, TO, exams, 10, true).topPatients().get(0).patient()).isEqualTo("PAT1001");
    }

    @Test
    void masksNamesAndIds() {
        assertThat(Masking.initials("DUPRÉ^HÉLÈNE")).isEqualTo("D.H.");
        assertThat(Masking.patientId("PAT1001")).isEqualTo("PAT***01");
        assertThat(Masking.patientId("1234")).isEqualTo("****");
    }
}
