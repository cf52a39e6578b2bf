package org.ofsep.mwl.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.PerformedStep;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.mapping.MappingLoader;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.mapping.ShippedMapping;
import org.ofsep.mwl.core.service.PerformedExams.Performed;

/**
 * What the Performed Protocol Code Sequence of a completed MPPS says was done. A console often reports only its own
 * vendor's code (the one the gateway sends it first): that code was ignored (only scheme 99OFSEP was read), so the
 * history kept the scheduled card and contrast (found by an independent tester: a FULL with Gd planned, a Philips
 * OFSEP_FULL performed, recorded with Gd and 7.0 mmol).
 */
class PerformedExamsTest {

    static final MappingSnapshot SHIPPED = ShippedMapping.load();

    static ProtocolCode code(String value, String scheme) {
        return new ProtocolCode(value, scheme, "as the console writes it");
    }

    static Optional<Performed> read(ProtocolCode... codes) {
        return PerformedExams.fromCodes(List.of(codes), SHIPPED);
    }

    @Test
    void aVendorsOwnCodeSaysTheCardAndTheContrast() {
        assertThat(read(code("OFSEP_FULL", "99PHILIPS"))).contains(new Performed(ExamCard.FULL, false, false));
        assertThat(read(code("OFSEPFULLGD", "99GEMS"))).contains(new Performed(ExamCard.FULL, true, false));
        assertThat(read(code("OFSEP-PML", "99CANON"))).contains(new Performed(ExamCard.PML_SHORT, false, false));
        assertThat(read(code("OFSEP_ROUTINE", "99SIEMENS"))).contains(new Performed(ExamCard.ROUTINE, false, false));
        // the OFSEP codes the mapping lists, as before
        assertThat(read(code("OFSEP-FULL-GD", "99OFSEP"))).contains(new Performed(ExamCard.FULL, true, false));
    }

    @Test
    void aCodeIsMatchedByItsValueAndItsScheme() {
        // Canon's values are the OFSEP ones: only with 99CANON (or 99OFSEP) are they the mapping's
        assertThat(read(code("OFSEP-FULL-GD", "99SIEMENS"))).isEmpty();
        assertThat(read(code("OFSEP_FULL", "99GEMS"))).isEmpty();
        assertThat(read(code("OFSEP-FULL-GD", "99canon"))).contains(new Performed(ExamCard.FULL, true, false));
    }

    @Test
    void brainAndSpineCodesAddUp() {
        // FULL without Gd for the brain, the spine with Gd: Gd was given
        assertThat(read(code("OFSEPFULL", "99GEMS"), code("OFSEPSPINEGD", "99GEMS")))
                .contains(new Performed(ExamCard.FULL, true, true));
        // the spine without Gd after a brain with Gd
        assertThat(read(code("OFSEP_FULL_GD", "99SIEMENS"), code("OFSEP_SPINE", "99SIEMENS")))
                .contains(new Performed(ExamCard.FULL, true, true));
        // the spine alone: no brain card said
        assertThat(read(code("OFSEP_SPINE", "99PHILIPS"))).contains(new Performed(null, false, true));
        // the vendor code and the OFSEP code of the same entry, as a console echoes its worklist item
        assertThat(read(code("OFSEP_ROUTINE", "99PHILIPS"), code("OFSEP-ROUTINE", "99OFSEP")))
                .contains(new Performed(ExamCard.ROUTINE, false, false));
    }

    @Test
    void unknownCodesKeepTodaysReading() {
        // another scheme, not in the mapping: says nothing
        assertThat(read(code("SEP_FULL_GD", "99SIEMENS"), code("T1", "LOCAL"))).isEmpty();
        // a 99OFSEP code the mapping does not list is read by its words, as before
        assertThat(read(code("OFSEP-FULL-GD-V2", "99OFSEP"))).contains(new Performed(ExamCard.FULL, true, false));
        assertThat(read(code("SEP_FULL_GD", "99SIEMENS"), code("OFSEP-PML-3T", "99OFSEP")))
                .contains(new Performed(ExamCard.PML_SHORT, false, false));
        // without a mapping, only 99OFSEP codes are read
        assertThat(PerformedExams.fromCodes(List.of(code("OFSEP_FULL", "99PHILIPS")))).isEmpty();
        assertThat(PerformedExams.fromCodes(List.of(code("OFSEP-ROUTINE", "99OFSEP"))))
                .contains(new Performed(ExamCard.ROUTINE, false, false));
    }

    /**
     * A mapping that gives one code to two entries (one console program for FULL with and without Gd, the
     * technologist injecting or not): the code says the card they agree on, not the contrast.
     */
    @Test
    void aCodeOfTwoEntriesSaysOnlyWhatTheyAgreeOn() {
        MappingSnapshot shared = MappingLoader.parse(ShippedMapping.edit(
                "SIEMENS: { value: OFSEP_FULL_GD, scheme: 99SIEMENS, meaning: \"OFSEP^Brain Full Gd\" }",
                "SIEMENS: { value: OFSEP_FULL, scheme: 99SIEMENS, meaning: \"OFSEP^Brain Full Gd\" }"), "shared.yaml");
        assertThat(PerformedExams.fromCodes(List.of(code("OFSEP_FULL", "99SIEMENS")), shared))
                .contains(new Performed(ExamCard.FULL, null, false));
        // the contrast stays the plan's (here none: no step was scheduled)
        PerformedStep mpps = new PerformedStep("1.2.3", "COMPLETED", "P1", null, List.of(), "A1", "MR_SIEMENS",
                LocalDateTime.of(2026, 3, 3, 9, 0), LocalDateTime.of(2026, 3, 3, 9, 20),
                List.of(code("OFSEP_FULL", "99SIEMENS")), null);
        assertThat(PerformedExams.priorExam(mpps, List.of(), LocalDate.of(2026, 3, 3), shared))
                .contains(new PriorExam("P1", LocalDate.of(2026, 3, 3), ExamCard.FULL, false, null, false, "A1"));
        // with another code that says the contrast, it is said
        assertThat(PerformedExams.fromCodes(List.of(code("OFSEP_FULL", "99SIEMENS"),
                code("OFSEP-FULL-GD", "99OFSEP")), shared)).contains(new Performed(ExamCard.FULL, true, false));
    }

    /** An unscheduled MPPS (no step) with only a vendor code is an OFSEP exam of the history. */
    @Test
    void anUnscheduledExamWithAVendorCodeEntersTheHistory() {
        PerformedStep mpps = new PerformedStep("1.2.4", "COMPLETED", "P2", null, List.of(), null, "MR_GE",
                LocalDateTime.of(2026, 3, 3, 9, 0), LocalDateTime.of(2026, 3, 3, 9, 20),
                List.of(code("OFSEPFULLGD", "99GEMS")), null);
        assertThat(PerformedExams.priorExam(mpps, List.of(), LocalDate.of(2026, 3, 3), SHIPPED))
                .contains(new PriorExam("P2", LocalDate.of(2026, 3, 3), ExamCard.FULL, true, null, false, null));
        assertThat(PerformedExams.priorExam(mpps, List.of(), LocalDate.of(2026, 3, 3), null)).isEmpty();
    }
}
