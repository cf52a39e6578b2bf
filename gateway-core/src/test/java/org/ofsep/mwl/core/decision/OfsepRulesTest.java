package org.ofsep.mwl.core.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ofsep.mwl.core.decision.EngineHarness.decide;
import static org.ofsep.mwl.core.decision.OrderFixture.EXAM;

import java.time.LocalDate;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.RuleId;

/** Every OFSEP 2020 rule, its boundaries and the precedence between rules, table-driven. */
class OfsepRulesTest {

    private static Arguments row(String name, Consumer<OrderFixture> setup, String rule, ExamCard card,
                                 boolean contrast, boolean optional, Integer nextMonths) {
        return Arguments.of(name, setup, rule, card, contrast, optional, nextMonths);
    }

    static Stream<Arguments> rules() {
        LocalDate e = EXAM;
        return Stream.of(
                // 1. diagnosis
                row("diagnosis", f -> f.context("DIAGNOSIS"), "DIAGNOSIS", ExamCard.FULL, true, false, null),
                // 2. no comparable prior
                row("no prior at all", f -> f.without("PRIOR-MRI").without("PRIOR-MRI-3DFLAIR"),
                        "NO_COMPARABLE_PRIOR", ExamCard.FULL, true, false, 12),
                row("prior without 3D FLAIR", f -> f.without("PRIOR-MRI-3DFLAIR").obx("PRIOR-MRI-3DFLAIR", "ST", "N"),
                        "NO_COMPARABLE_PRIOR", ExamCard.FULL, true, false, 12),
                row("no OBX prior but an OFSEP exam in history", f -> {
                    f.without("PRIOR-MRI").without("PRIOR-MRI-3DFLAIR");
                    f.history.add(new PriorExam("P1", e.minusMonths(11), ExamCard.ROUTINE, false, null, false, "A0"));
                }, "ROUTINE_FOLLOW_UP", ExamCard.ROUTINE, false, false, 12),
                row("history exam after the exam date does not count", f -> {
                    f.without("PRIOR-MRI").without("PRIOR-MRI-3DFLAIR");
                    f.history.add(new PriorExam("P1", e.plusDays(1), ExamCard.ROUTINE, false, null, false, "A0"));
                }, "NO_COMPARABLE_PRIOR", ExamCard.FULL, true, false, 12),
                row("a non-OFSEP exam in history is not a comparable prior", f -> {
                    f.without("PRIOR-MRI").without("PRIOR-MRI-3DFLAIR");
                    f.history.add(new PriorExam("P1", e.minusMonths(2), null, false, null, false, "A0"));
                }, "NO_COMPARABLE_PRIOR", ExamCard.FULL, true, false, 12),
                // 3. new DMT (baseline), window [-90 days, +30 days]
                row("NEW_DMT context", f -> f.context("NEW_DMT"), "NEW_DMT", ExamCard.FULL, true, false, 6),
                row("DMT started exactly 90 days before", f -> f.dmt("ocrelizumab", e.minusDays(90)),
                        "NEW_DMT", ExamCard.FULL, true, false, 6),
                row("DMT started 91 days before", f -> f.dmt("ocrelizumab", e.minusDays(91)),
                        "ROUTINE_FOLLOW_UP", ExamCard.ROUTINE, false, false, 12),
                row("DMT starts exactly 30 days after", f -> f.dmt("ocrelizumab", e.plusDays(30)),
                        "NEW_DMT", ExamCard.FULL, true, false, 6),
                row("DMT starts 31 days after", f -> f.dmt("ocrelizumab", e.plusDays(31)),
                        "ROUTINE_FOLLOW_UP", ExamCard.ROUTINE, false, false, 12),
                // 4. re-baseline, 4 to 9 months before
                row("DMT started exactly 4 months before", f -> f.dmt("ocrelizumab", e.minusMonths(4)),
                        "REBASELINE", ExamCard.FULL, true, false, 12),
                row("DMT started 4 months minus 1 day before", f -> f.dmt("ocrelizumab", e.minusMonths(4).plusDays(1)),
                        "ROUTINE_FOLLOW_UP", ExamCard.ROUTINE, false, false, 12),
                row("DMT started exactly 9 months before", f -> f.dmt("ocrelizumab", e.minusMonths(9)),
                        "REBASELINE", ExamCard.FULL, true, false, 12),
                row("DMT started 9 months and 1 day before", f -> f.dmt("ocrelizumab", e.minusMonths(9).minusDays(1)),
                        "ROUTINE_FOLLOW_UP", ExamCard.ROUTINE, false, false, 12),
                // 5. optional Gd situations, default policy injects
                row("relapse", f -> f.context("RELAPSE"), "RELAPSE", ExamCard.FULL, true, true, null),
                row("PML suspicion", f -> f.context("PML_SUSPICION"), "PML_SUSPICION", ExamCard.FULL, true, true,
                        null),
                row("intercurrent disease", f -> f.context("INTERCURRENT"), "INTERCURRENT", ExamCard.FULL, true, true,
                        null),
                // 6. PML screening: natalizumab >= 18 months and JCV positive
                row("natalizumab exactly 18 months, JCV POS", f -> f.dmt("natalizumab", e.minusMonths(18))
                        .jcv("POS", null), "PML_SCREENING", ExamCard.PML_SHORT, false, false, 3),
                row("natalizumab 18 months minus 1 day, JCV POS",
                        f -> f.dmt("natalizumab", e.minusMonths(18).plusDays(1)).jcv("POS", null),
                        "ROUTINE_FOLLOW_UP", ExamCard.ROUTINE, false, false, 12),
                row("JCV index exactly at the 0.40 cut-off", f -> f.dmt("natalizumab", e.minusYears(3))
                        .jcv(null, "0.40"), "PML_SCREENING", ExamCard.PML_SHORT, false, false, 3),
                row("JCV index 0.39, below the cut-off", f -> f.dmt("natalizumab", e.minusYears(3))
                        .jcv(null, "0.39"), "ROUTINE_FOLLOW_UP", ExamCard.ROUTINE, false, false, 12),
                row("JCV index 1.49", f -> f.dmt("natalizumab", e.minusYears(3)).jcv("POS", "1.49"),
                        "PML_SCREENING", ExamCard.PML_SHORT, false, false, 3),
                row("JCV index exactly 1.5: every 3 to 4 months", f -> f.dmt("natalizumab", e.minusYears(3))
                        .jcv("POS", "1.5"), "PML_SCREENING", ExamCard.PML_SHORT, false, false, 4),
                // "2,1" (a French decimal comma) is typed by the HL7 edge: Hl7ObservationValuesTest decides it
                row("JCV index 2.1 without a status, DMT name capitalised", f -> f.dmt("Natalizumab", e.minusYears(3))
                        .jcv(null, "2.1"), "PML_SCREENING", ExamCard.PML_SHORT, false, false, 4),
                row("JCV negative", f -> f.dmt("natalizumab", e.minusYears(3)).jcv("NEG", null),
                        "ROUTINE_FOLLOW_UP", ExamCard.ROUTINE, false, false, 12),
                row("JCV positive on a DMT that is not high-risk", f -> f.dmt("ocrelizumab", e.minusYears(3))
                        .jcv("POS", "2.0"), "ROUTINE_FOLLOW_UP", ExamCard.ROUTINE, false, false, 12),
                // 7. routine
                row("stable follow-up", f -> { }, "ROUTINE_FOLLOW_UP", ExamCard.ROUTINE, false, false, 12),
                row("FOLLOW_UP context", f -> f.context("FOLLOW_UP"), "ROUTINE_FOLLOW_UP", ExamCard.ROUTINE, false,
                        false, 12),
                // precedence: the first rule decides, later rules add advisories
                row("diagnosis before no-prior", f -> f.without("PRIOR-MRI").context("DIAGNOSIS"), "DIAGNOSIS",
                        ExamCard.FULL, true, false, 12),
                row("no-prior before new DMT (advice 6 months kept)", f -> f.without("PRIOR-MRI")
                        .context("NEW_DMT"), "NO_COMPARABLE_PRIOR", ExamCard.FULL, true, false, 6),
                row("new DMT before relapse: Gd required, not optional", f -> f.context("RELAPSE")
                        .context("NEW_DMT"), "NEW_DMT", ExamCard.FULL, true, false, 6),
                row("re-baseline before relapse", f -> f.context("RELAPSE").dmt("ocrelizumab", e.minusMonths(6)),
                        "REBASELINE", ExamCard.FULL, true, false, 12),
                row("relapse before PML screening (PML advice 3 months kept)", f -> f.context("RELAPSE")
                        .dmt("natalizumab", e.minusYears(2)).jcv("POS", null), "RELAPSE", ExamCard.FULL, true, true,
                        3),
                row("PML screening before routine", f -> f.context("FOLLOW_UP").dmt("natalizumab", e.minusYears(2))
                        .jcv("POS", "3.1"), "PML_SCREENING", ExamCard.PML_SHORT, false, false, 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void ruleTable(String name, Consumer<OrderFixture> setup, String rule, ExamCard card, boolean contrast,
                   boolean optional, Integer nextMonths) {
        OrderFixture f = new OrderFixture();
        setup.accept(f);
        Decision d = decide(f);
        assertThat(d.ofsep()).isTrue();
        assertThat(d.rule()).isEqualTo(RuleId.valueOf(rule));
        assertThat(d.examCard()).isEqualTo(card);
        assertThat(d.contrast()).isEqualTo(contrast);
        assertThat(d.contrastOptional()).isEqualTo(optional);
        assertThat(d.nextMriMonths()).isEqualTo(nextMonths);
        assertThat(d.reasons()).anyMatch(r -> r.startsWith("OFSEP 2020"));
        if (contrast) {
            assertThat(d.contrastDose()).isNotNull();
        } else {
            assertThat(d.contrastDose()).isNull();
        }
    }

    @Test
    void diagnosisAddsTheSpineWithTheSameInjectionAndSuggestsSwi() {
        Decision d = decide(new OrderFixture().context("DIAGNOSIS"));
        assertThat(d.spine()).isTrue();
        assertThat(d.spineDue()).isFalse();
        assertThat(d.optionalSequences()).containsExactly("SWI", "2D T2* GRE");
        assertThat(d.defaultCodes()).extracting(c -> c.value()).containsExactly("OFSEP-FULL-GD", "OFSEP-SPINE-GD");
        assertThat(d.reasons()).contains("OFSEP 2020: at diagnosis the spinal cord is imaged with the same Gd"
                + " injection as the brain.");
    }

    @Test
    void pmlSuspicionAddsDirAndSwi() {
        Decision d = decide(new OrderFixture().context("PML_SUSPICION"));
        assertThat(d.optionalSequences()).containsExactly("3D DIR", "SWI");
    }

    @Test
    void pmlScreeningSuggestsDirAndExplainsTheInterval() {
        Decision d = decide(new OrderFixture().dmt("natalizumab", EXAM.minusYears(2)).jcv("POS", "1.8"));
        assertThat(d.optionalSequences()).containsExactly("3D DIR");
        assertThat(d.defaultCodes()).extracting(c -> c.value()).containsExactly("OFSEP-PML");
        assertThat(d.reasons()).anyMatch(r -> r.contains("PML screening") && r.contains("every 3 to 4 months"));
    }

    @Test
    void pmlScreeningWithoutTreatmentStartIsReportedNotGuessed() {
        Decision d = decide(new OrderFixture().dmt("natalizumab", null).jcv("POS", null));
        assertThat(d.rule()).isEqualTo(RuleId.ROUTINE_FOLLOW_UP);
        assertThat(d.reasons()).anyMatch(r -> r.startsWith("PML screening not assessed"));
    }

    @Test
    void sitePolicyMayDeclineOptionalGd() {
        var m = EngineHarness.edited("  RELAPSE:\n    inject: true\n", "  RELAPSE:\n    inject: false\n");
        Decision d = EngineHarness.decide(m, new OrderFixture().context("RELAPSE"));
        assertThat(d.rule()).isEqualTo(RuleId.RELAPSE);
        assertThat(d.examCard()).isEqualTo(ExamCard.FULL);
        assertThat(d.contrast()).isFalse();
        assertThat(d.contrastOptional()).isTrue();
        assertThat(d.defaultCodes()).extracting(c -> c.value()).containsExactly("OFSEP-FULL");
        assertThat(d.reasons()).anyMatch(r -> r.contains("does not inject"));
    }

    @Test
    void laterRulesAreCitedAsAlsoApplying() {
        Decision d = decide(new OrderFixture().without("PRIOR-MRI").context("NEW_DMT"));
        assertThat(d.reasons()).anyMatch(r -> r.startsWith("Also applies: OFSEP 2020: Gd when a new disease-modifying"));
    }

    @Test
    void thresholdsComeFromTheMapping() {
        var m = EngineHarness.edited("    daysBefore: 90\n", "    daysBefore: 100\n");
        assertThat(EngineHarness.decide(m, new OrderFixture().dmt("ocrelizumab", EXAM.minusDays(95))).rule())
                .isEqualTo(RuleId.NEW_DMT);
        assertThat(decide(new OrderFixture().dmt("ocrelizumab", EXAM.minusDays(95))).rule())
                .isEqualTo(RuleId.ROUTINE_FOLLOW_UP);
    }

    @Test
    void withoutScheduledDateTheReferenceIsToday() {
        OrderFixture f = new OrderFixture().dmt("ocrelizumab", EXAM.minusDays(85));
        f.scheduled = null;
        // EngineHarness passes EXAM + 100 days as today: the DMT started 185 days before it, a re-baseline
        assertThat(decide(f).rule()).isEqualTo(RuleId.REBASELINE);
        f.scheduled = EXAM.atStartOfDay();
        assertThat(decide(f).rule()).isEqualTo(RuleId.NEW_DMT);
    }
}
