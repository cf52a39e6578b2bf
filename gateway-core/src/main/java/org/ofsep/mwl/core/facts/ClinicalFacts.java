package org.ofsep.mwl.core.facts;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.ofsep.mwl.core.domain.Fact;

/**
 * The clinical facts of one ordered procedure, typed, as the OFSEP decision reads them, with the trace of each.
 * A null value is unknown. Read by {@link FactExtractor}: structured observations first, then the free text.
 *
 * @param treatment              generic name of the current disease-modifying treatment
 * @param treatmentPmlRisk       the treatment carries the PML risk the short PML protocol screens for
 * @param treatmentStart         start of the current treatment (first day of a month or year when only that is
 *                               written), or its planned start
 * @param treatmentStartPlanned  the start is planned (the exam is a baseline before a new treatment)
 * @param priorBrainMri          date of the previous brain MRI
 * @param priorBrainMriMentioned a previous brain MRI is named without a date
 * @param priorMri3dFlair        whether the previous brain MRI had a 3D FLAIR (standardized protocol)
 * @param lastSpineMri           date of the last spinal cord MRI
 * @param jcvPositive            anti-JCV antibody status
 * @param jcvIndex               anti-JCV antibody index
 * @param egfr                   eGFR in mL/min/1.73 m2, given or computed with CKD-EPI 2021
 * @param egfrAtMost             the eGFR is only known to be at most {@code egfr} ("&lt;60", or computed from a
 *                               creatinine "&gt;200"): the true value may be far lower
 * @param pregnant               pregnancy (coded status, hCG or text)
 * @param weightKg               body weight in kg
 * @param weightObserved         a weight observation was present (even if its value could not be used)
 * @param facts                  every fact above that is known, with its source, in a stable order
 * @param notes                  values not used and why (unknown unit, not a date, ...), for the reasons
 * @param conflicts              structured value and text disagree: the structured one is used; for the alerts
 */
public record ClinicalFacts(String treatment, boolean treatmentPmlRisk, LocalDate treatmentStart,
                            boolean treatmentStartPlanned, LocalDate priorBrainMri, boolean priorBrainMriMentioned,
                            Boolean priorMri3dFlair, LocalDate lastSpineMri, Boolean jcvPositive, BigDecimal jcvIndex,
                            BigDecimal egfr, boolean egfrAtMost, Boolean pregnant, Double weightKg, boolean weightObserved,
                            List<Fact> facts, List<String> notes, List<String> conflicts) {

    public ClinicalFacts {
        facts = facts == null ? List.of() : List.copyOf(facts);
        notes = notes == null ? List.of() : List.copyOf(notes);
        conflicts = conflicts == null ? List.of() : List.copyOf(conflicts);
    }

    /** No fact known. */
    public static ClinicalFacts none() {
        return new ClinicalFacts(null, false, null, false, null, false, null, null, null, null, null, false, null,
                null, false, List.of(), List.of(), List.of());
    }
}
