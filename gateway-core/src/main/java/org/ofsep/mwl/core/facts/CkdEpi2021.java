package org.ofsep.mwl.core.facts;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The CKD-EPI 2021 creatinine equation, without race (Inker et al., N Engl J Med 2021;385:1737-49):
 * eGFR = 142 x min(Scr/k, 1)^a x max(Scr/k, 1)^-1.200 x 0.9938^age [x 1.012 if female], with Scr in mg/dL,
 * k = 0.7 (female) or 0.9 (male), a = -0.241 (female) or -0.302 (male); in mL/min/1.73 m2. Adults only.
 */
public final class CkdEpi2021 {
    /** mg/dL = umol/L / 88.42. */
    public static final double UMOL_PER_MG_DL = 88.42;

    private CkdEpi2021() {
    }

    /**
     * @param creatinineMgDl serum creatinine in mg/dL
     * @param ageYears       age in whole years at the exam date (18 or more)
     * @param female         true for a woman (PID-8 F), false for a man (PID-8 M)
     * @return eGFR in mL/min/1.73 m2, rounded to 0.1
     */
    public static BigDecimal egfr(double creatinineMgDl, int ageYears, boolean female) {
        if (!(creatinineMgDl > 0) || ageYears < 18) {
            throw new IllegalArgumentException("CKD-EPI 2021 needs a positive creatinine and an adult age");
        }
        double kappa = female ? 0.7 : 0.9;
        double alpha = female ? -0.241 : -0.302;
        double r = creatinineMgDl / kappa;
        double v = 142.0 * Math.pow(Math.min(r, 1.0), alpha) * Math.pow(Math.max(r, 1.0), -1.200)
                * Math.pow(0.9938, ageYears) * (female ? 1.012 : 1.0);
        return BigDecimal.valueOf(v).setScale(1, RoundingMode.HALF_UP);
    }
}
