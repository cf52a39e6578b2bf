package org.ofsep.mwl.core.decision.policy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The safety alerts raised when Gd is injected, carried to Medical Alerts (0010,2000) and never dropped: no or an
 * implausible weight (no dose), eGFR below {@code egfrBelow} (mapping {@code policies.safetyAlerts.egfrBelow}, 30),
 * pregnancy, an allergy to gadolinium. Each alert is at most 64 characters (one LO value).
 */
public record SafetyAlertPolicy(BigDecimal egfrBelow) {

    /** The sentence of OFSEP 2020 behind the renal alert (the pregnancy and weight alerts are site safety). */
    public static final String RECOMMENDATION = "Since the 2000s, the toxicity of Gd-based contrast agents (GBCA)"
            + " has been described mainly in patients with renal failure who developed systemic nephrogenic"
            + " fibrosis (NSF).";

    /** The alert of an injection for a patient the order says is allergic to gadolinium (52 characters). */
    public static final String GD_ALLERGY_ALERT = "Gd with a gadolinium allergy: radiologist to confirm";

    public SafetyAlertPolicy {
        Objects.requireNonNull(egfrBelow, "egfrBelow");
    }

    /**
     * The alerts for an injection without a Gd allergy stated; see {@link #alerts(DosePolicy.Outcome, BigDecimal,
     * boolean, Boolean, boolean)}.
     */
    public List<String> alerts(DosePolicy.Outcome dose, BigDecimal egfr, boolean egfrAtMost, Boolean pregnant) {
        return alerts(dose, egfr, egfrAtMost, pregnant, false);
    }

    /**
     * The alerts for an injection, in a fixed order: weight, eGFR, pregnancy, Gd allergy.
     *
     * @param egfrAtMost the eGFR is only an upper bound ("&lt;60"): the true value may be below the threshold
     *                   even when the bound is not, so such an eGFR always alerts
     */
    public List<String> alerts(DosePolicy.Outcome dose, BigDecimal egfr, boolean egfrAtMost, Boolean pregnant,
                               boolean gdAllergy) {
        List<String> alerts = new ArrayList<>();
        switch (dose.weight()) {
            case IMPLAUSIBLE -> alerts.add("Gd: implausible weight " + DosePolicy.fmt(dose.weightKg(), 1)
                    + " kg, dose not computed");
            case MISSING -> alerts.add("Gd: no patient weight, dose not computed");
            case KNOWN -> { }
        }
        String threshold = egfrBelow.stripTrailingZeros().toPlainString();
        boolean below = egfr != null && egfr.compareTo(egfrBelow) < 0;
        if (egfr != null && egfrAtMost) {
            // "<60" is compared as 59.999 and "<=60" as 60: the smallest whole number the true value is under
            BigDecimal bound = egfr.add(new BigDecimal("0.001")).setScale(0, RoundingMode.CEILING);
            alerts.add("Gd with eGFR <" + bound.toPlainString() + (below ? "" : ", maybe < " + threshold)
                    + ": radiologist to confirm");
        } else if (below) {
            alerts.add("Gd with eGFR " + egfr.setScale(0, RoundingMode.HALF_UP) + " < " + threshold
                    + ": radiologist to confirm");
        }
        if (Boolean.TRUE.equals(pregnant)) {
            alerts.add("Gd in pregnancy: radiologist to confirm");
        }
        if (gdAllergy) {
            alerts.add(GD_ALLERGY_ALERT);
        }
        return alerts;
    }
}
