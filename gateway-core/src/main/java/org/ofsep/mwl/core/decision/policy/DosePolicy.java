package org.ofsep.mwl.core.decision.policy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.Optional;
import org.ofsep.mwl.core.domain.ContrastDose;

/**
 * The Gd dose: a macrocyclic agent only, at {@code mmolPerKg} (mapping {@code policies.dose}, 0.1 mmol/kg) of
 * body weight; never computed from a missing or implausible weight. The agent check ({@link #agentProblem}) is
 * what refuses a linear agent when the mapping is loaded.
 */
public record DosePolicy(BigDecimal mmolPerKg, Agent agent) {

    /** The sentence of OFSEP 2020 this policy implements. */
    public static final String RECOMMENDATION = "When needed, the systemic infusion of macrocyclic GBCA (linear"
            + " contrast agents are proscribed), at the standard dose of 0·1 mmol per kilogram of body weight,"
            + " with a minimum delay time of 5 min (ideally during the acquisition of the FLAIR) [4].";

    /** Body weights outside this range are taken as a unit or typing error, not as a basis for a dose. */
    public static final int MIN_PLAUSIBLE_KG = 3;
    public static final int MAX_PLAUSIBLE_KG = 350;

    /** The agent in use: its name as configured and its concentration. */
    public record Agent(String name, BigDecimal concentrationMmolPerMl) {
    }

    /** What is wrong with the weight, if anything. */
    public enum Weight { KNOWN, MISSING, IMPLAUSIBLE }

    /** The dose (null when not computed), why, and the state of the weight it was computed from. */
    public record Outcome(ContrastDose dose, String reason, Weight weight, Double weightKg) {
    }

    /** A configured agent the policy refuses: which key is wrong ({@code name} or {@code concentrationMmolPerMl}). */
    public record AgentProblem(String key, String message) {
    }

    public DosePolicy {
        Objects.requireNonNull(mmolPerKg, "mmolPerKg");
        Objects.requireNonNull(agent, "agent");
    }

    /**
     * Macrocyclic only: a linear agent (proscribed by OFSEP 2020 after the EMA 2017 restrictions), an unknown
     * agent or a concentration that is not the agent's (it would double or halve the volume) is refused.
     */
    public static Optional<AgentProblem> agentProblem(String name, BigDecimal concentrationMmolPerMl) {
        var known = GadoliniumAgents.identify(name);
        if (known.isEmpty()) {
            return Optional.of(new AgentProblem("name", "'" + name + "' is not a known macrocyclic Gd agent"
                    + " (gadobutrol, gadoterate/gadoteric acid, gadoteridol)"));
        }
        if (!known.get().macrocyclic()) {
            return Optional.of(new AgentProblem("name", "'" + name + "' is a linear Gd agent: proscribed by OFSEP"
                    + " 2020 (EMA 2017); use gadobutrol, gadoterate/gadoteric acid or gadoteridol"));
        }
        if (concentrationMmolPerMl != null
                && concentrationMmolPerMl.compareTo(known.get().concentrationMmolPerMl()) != 0) {
            return Optional.of(new AgentProblem("concentrationMmolPerMl", known.get().generic() + " is "
                    + known.get().concentrationMmolPerMl() + " mmol/mL, not " + concentrationMmolPerMl));
        }
        return Optional.empty();
    }

    /** The dose for this weight in kg (null when unknown). */
    public Outcome apply(Double weightKg) {
        String perKg = mmolPerKg.stripTrailingZeros().toPlainString();
        if (weightKg != null && (weightKg < MIN_PLAUSIBLE_KG || weightKg > MAX_PLAUSIBLE_KG)) {
            // a weight in grams or pounds sent as kg would give a tenfold dose: never compute from it
            return new Outcome(null, "The patient's weight (" + fmt(weightKg, 1) + " kg) is outside "
                    + MIN_PLAUSIBLE_KG + "-" + MAX_PLAUSIBLE_KG + " kg: the Gd dose is not computed.",
                    Weight.IMPLAUSIBLE, weightKg);
        }
        if (weightKg == null) {
            return new Outcome(null, "Gd " + agent.name() + " at " + perKg
                    + " mmol/kg: the dose cannot be computed without the patient's weight.", Weight.MISSING, null);
        }
        ContrastDose dose = dose(weightKg);
        return new Outcome(dose, "OFSEP 2020: macrocyclic Gd at " + perKg + " mmol/kg: " + agent.name() + " "
                + fmt(dose.mmol(), 2) + " mmol = " + fmt(dose.ml(), 1) + " mL for " + fmt(weightKg, 1) + " kg.",
                Weight.KNOWN, weightKg);
    }

    /** mmol rounded to 0.01, volume to 0.1 mL (what a syringe or injector is set to). */
    ContrastDose dose(double weightKg) {
        BigDecimal exact = mmolPerKg.multiply(BigDecimal.valueOf(weightKg));
        BigDecimal mmol = exact.setScale(2, RoundingMode.HALF_UP);
        BigDecimal ml = exact.divide(agent.concentrationMmolPerMl(), 10, RoundingMode.HALF_UP)
                .setScale(1, RoundingMode.HALF_UP);
        return new ContrastDose(agent.name(), mmol.doubleValue(), ml.doubleValue());
    }

    /** A number with a fixed count of decimals, half up ("7.30"). */
    public static String fmt(double v, int decimals) {
        return BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
    }
}
