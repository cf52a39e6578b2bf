package org.ofsep.mwl.core.decision.policy;

import java.time.LocalDate;
import java.util.List;
import org.ofsep.mwl.core.domain.PriorExam;

/**
 * The spinal cord: imaged with the brain at diagnosis (one injection for both), and advised (never imposed) when
 * the last spine MRI is older than {@code intervalYears} (mapping {@code policies.spine.intervalYears}, 3) or
 * unknown.
 */
public record SpinePolicy(int intervalYears) {

    /** The sentences of OFSEP 2020 this policy implements. */
    public static final List<String> RECOMMENDATIONS = List.of(
            "At baseline, neurologists are “free to acquire brain and spinal cord to have only one injection of"
                    + " Gadolinium”.",
            "During the follow-up, it is not recommended to have an entire spinal cord examination every year but"
                    + " imaging the entire spine is recommended every three years at least.");

    /** What the policy adds to a decision. */
    public record Outcome(boolean spine, boolean spineDue, List<String> reasons) {
    }

    /**
     * @param ordered        the ordered procedure images the spine
     * @param atDiagnosis    the deciding rule is the diagnosis (the spine joins the brain's injection)
     * @param lastSpineMri   the last spine MRI the facts know, may be null
     * @param past           completed exams on or before the reference date
     * @param reference      the reference date of the decision
     */
    public Outcome apply(boolean ordered, boolean atDiagnosis, LocalDate lastSpineMri, List<PriorExam> past,
                         LocalDate reference) {
        if (ordered) {
            return new Outcome(true, false, List.of());
        }
        if (atDiagnosis) {
            return new Outcome(true, false, List.of("OFSEP 2020: at diagnosis the spinal cord is imaged with the"
                    + " same Gd injection as the brain."));
        }
        LocalDate last = lastSpineMri;
        for (PriorExam p : past) {
            if (p.spine() && (last == null || p.date().isAfter(last))) {
                last = p.date();
            }
        }
        if (last == null) {
            return new Outcome(false, true, List.of("OFSEP 2020: image the entire spine every " + intervalYears
                    + " years at least; no previous spine MRI is known."));
        }
        if (last.isBefore(reference.minusYears(intervalYears))) {
            return new Outcome(false, true, List.of("OFSEP 2020: image the entire spine every " + intervalYears
                    + " years at least; the last spine MRI (" + last + ") is older."));
        }
        return new Outcome(false, false, List.of());
    }
}
