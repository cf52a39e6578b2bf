package org.ofsep.mwl.core.decision;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.ofsep.mwl.core.domain.ContrastDose;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.Fact;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.domain.Vendor;
import org.ofsep.mwl.core.mapping.Mapping;
import org.ofsep.mwl.core.mapping.MappingDocument;
import org.ofsep.mwl.core.mapping.MappingDocument.CardName;
import org.ofsep.mwl.core.mapping.MappingDocument.Region;
import org.ofsep.mwl.core.mapping.MappingDocument.RuleName;
import org.ofsep.mwl.core.mapping.MappingDocument.Situation;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.mapping.TextMatch;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.OrderRejectedException;
import org.ofsep.mwl.core.order.ProcedureRequest;

/**
 * The OFSEP 2020 decision (Brisset et al., "New OFSEP recommendations for MRI assessment of multiple sclerosis
 * patients", 2020): which exam card, with or without gadolinium, and why.
 *
 * <p>The rules are tried in the order of {@link RuleName}; the first that applies decides the card and the
 * contrast, the later ones that also apply still add their reasons and their advisory interval (the shortest
 * interval wins). Pure: no I/O and no clock; the reference date is the procedure's scheduled date, else
 * {@code today}.
 */
public final class OfsepDecisionEngine implements DecisionEngine {

    /** Body weights outside this range are taken as a unit or typing error, not as a basis for a dose. */
    static final int MIN_PLAUSIBLE_KG = 3;
    static final int MAX_PLAUSIBLE_KG = 350;

    /** One rule that applies to the order, with what it would decide. */
    private record Match(RuleName rule, ExamCard card, boolean contrast, boolean contrastOptional, String reason,
                         Integer nextMriMonths, List<String> optionalSequences) {
    }

    @Override
    public Decision decide(Mapping mapping, OrderMessage order, ProcedureRequest procedure, Station station,
                           List<PriorExam> history, LocalDate today) {
        MappingSnapshot m = MappingSnapshot.of(mapping);
        Objects.requireNonNull(procedure, "procedure");
        List<String> reasons = new ArrayList<>();
        String msBecause = msOrderReason(m, order, procedure);
        if (msBecause == null) {
            // not an MS order: no OFSEP decision, but the worklist still says what the order says about pregnancy
            LocalDate passRef = procedure.scheduledStart() != null ? procedure.scheduledStart().toLocalDate() : today;
            if (passRef == null) {
                return Decision.passThrough(procedure.procedureCode());
            }
            return Decision.passThrough(procedure.procedureCode(), ClinicalContext.read(m, order, procedure, passRef)
                    .facts().facts().stream().filter(f -> Decision.PREGNANCY_FACTS.contains(f.name())).toList());
        }
        MappingDocument.Rules rules = m.rules();
        if (station != null && BigDecimal.valueOf(station.fieldStrengthTesla()).compareTo(rules.minFieldStrengthTesla()) < 0) {
            throw new OrderRejectedException("Station " + station.aeTitle() + " (" + station.fieldStrengthTesla()
                    + " T) is below " + rules.minFieldStrengthTesla().stripTrailingZeros().toPlainString()
                    + " T: not eligible for the OFSEP MS protocols (OFSEP 2020: at least 1.5 T)", null);
        }
        reasons.add(msBecause);
        LocalDate ref = procedure.scheduledStart() != null ? procedure.scheduledStart().toLocalDate()
                : Objects.requireNonNull(today, "today");
        ClinicalContext ctx = ClinicalContext.read(m, order, procedure, ref);
        if (ctx.situationsFromText()) {
            reasons.add("Clinical context found in the order text: " + ctx.situations() + ".");
        }
        for (Fact f : ctx.facts().facts()) {
            reasons.add("Fact: " + f.describe() + ".");
        }
        reasons.addAll(ctx.notes());
        List<PriorExam> past = history == null ? List.of() : history.stream()
                .filter(p -> p != null && p.date() != null && !p.date().isAfter(ref)).toList();

        List<String> notes = new ArrayList<>();
        List<Match> matches = evaluate(m, ctx, past, ref, notes);
        Match decider = matches.get(0);
        reasons.add(decider.reason());
        reasons.addAll(notes);
        Integer next = decider.nextMriMonths();
        for (Match later : matches.subList(1, matches.size())) {
            if (later.rule() == RuleName.ROUTINE_FOLLOW_UP) {
                continue; // "otherwise": the fallback applies only when nothing else does
            }
            reasons.add("Also applies: " + later.reason());
            if (later.nextMriMonths() != null && (next == null || later.nextMriMonths() < next)) {
                next = later.nextMriMonths();
            }
        }

        Region region = m.region(procedure.procedureCode());
        boolean brain = region.brain();
        boolean contrast = decider.contrast();
        boolean spine = region.spine();
        if (decider.rule() == RuleName.DIAGNOSIS && !spine) {
            spine = true;
            reasons.add("OFSEP 2020: at diagnosis the spinal cord is imaged with the same Gd injection as the brain.");
        }
        ExamCard card = brain ? decider.card() : null;

        Set<String> optional = new LinkedHashSet<>();
        if (brain) {
            CardName cardName = CardName.valueOf(decider.card().name());
            for (Match mt : matches) {
                if (mt.card() == decider.card() || mt.rule() == RuleName.PML_SUSPICION) {
                    mt.optionalSequences().stream().filter(s -> isOptional(m, cardName, s)).forEach(optional::add);
                }
            }
        }

        boolean spineDue = false;
        if (!spine) {
            LocalDate lastSpine = ctx.lastSpineMri();
            for (PriorExam p : past) {
                if (p.spine() && (lastSpine == null || p.date().isAfter(lastSpine))) {
                    lastSpine = p.date();
                }
            }
            int years = rules.spineIntervalYears();
            if (lastSpine == null) {
                spineDue = true;
                reasons.add("OFSEP 2020: image the entire spine every " + years
                        + " years at least; no previous spine MRI is known.");
            } else if (lastSpine.isBefore(ref.minusYears(years))) {
                spineDue = true;
                reasons.add("OFSEP 2020: image the entire spine every " + years + " years at least; the last spine MRI ("
                        + lastSpine + ") is older.");
            }
        }

        List<String> alerts = new ArrayList<>(ctx.facts().conflicts());
        ContrastDose dose = null;
        if (contrast) {
            MappingDocument.Agent agent = m.selectedAgent();
            Double w = ctx.weightKg();
            if (w != null && (w < MIN_PLAUSIBLE_KG || w > MAX_PLAUSIBLE_KG)) {
                // a weight in grams or pounds sent as kg would give a tenfold dose: never compute from it
                alerts.add("Gd: implausible weight " + fmt(w, 1) + " kg, dose not computed");
                reasons.add("The patient's weight (" + fmt(w, 1) + " kg) is outside " + MIN_PLAUSIBLE_KG + "-"
                        + MAX_PLAUSIBLE_KG + " kg: the Gd dose is not computed.");
            } else if (w == null) {
                alerts.add("Gd: no patient weight, dose not computed");
                reasons.add("Gd " + agent.name() + " at " + m.doseMmolPerKg().stripTrailingZeros().toPlainString()
                        + " mmol/kg: the dose cannot be computed without the patient's weight.");
            } else {
                dose = dose(agent, m.doseMmolPerKg(), w);
                reasons.add("OFSEP 2020: macrocyclic Gd at " + m.doseMmolPerKg().stripTrailingZeros().toPlainString()
                        + " mmol/kg: " + agent.name() + " " + fmt(dose.mmol(), 2) + " mmol = " + fmt(dose.ml(), 1)
                        + " mL for " + fmt(w, 1) + " kg.");
            }
            if (ctx.egfr() != null && ctx.egfr().compareTo(rules.egfrAlertBelow()) < 0) {
                alerts.add("Gd with eGFR " + ctx.egfr().setScale(0, RoundingMode.HALF_UP) + " < "
                        + rules.egfrAlertBelow().stripTrailingZeros().toPlainString() + ": radiologist to confirm");
            }
            if (Boolean.TRUE.equals(ctx.pregnant())) {
                alerts.add("Gd in pregnancy: radiologist to confirm");
            }
        }

        List<ProtocolCode> defaultCodes = new ArrayList<>();
        Map<Vendor, List<ProtocolCode>> vendorCodes = new EnumMap<>(Vendor.class);
        if (brain) {
            CardName cn = CardName.valueOf(card.name());
            boolean gd = contrast && cn == CardName.FULL;
            defaultCodes.add(m.defaultCode(cn, gd));
            m.vendorCodes(cn, gd).forEach((v, c) -> vendorCodes.computeIfAbsent(v, k -> new ArrayList<>()).add(c));
        }
        if (spine) {
            defaultCodes.add(m.defaultCode(CardName.SPINE, contrast));
            m.vendorCodes(CardName.SPINE, contrast)
                    .forEach((v, c) -> vendorCodes.computeIfAbsent(v, k -> new ArrayList<>()).add(c));
        }

        return new Decision(true, card, contrast, decider.contrastOptional(), spine, spineDue,
                decider.rule().name(), reasons, alerts, dose, next, List.copyOf(optional), defaultCodes,
                Map.copyOf(vendorCodes), ctx.facts().facts());
    }

    /** Why this is an MS order, or null when it is not (then it passes through untouched). */
    static String msOrderReason(MappingSnapshot m, OrderMessage order, ProcedureRequest procedure) {
        if (!m.decidesModality(procedure.modality())) {
            return null;
        }
        if (m.isMsProcedureCode(procedure.procedureCode())) {
            return "MS order: procedure code " + procedure.procedureCode().value() + " is an MS procedure code.";
        }
        String msContext = m.observationCodes().msContext();
        if (procedure.observations().stream().anyMatch(o -> o != null && o.code() != null
                && o.code().trim().equalsIgnoreCase(msContext))) {
            return "MS order: the order carries " + msContext + ".";
        }
        if (order != null) {
            for (String dx : order.diagnosisCodes()) {
                if (m.isMsDiagnosis(dx)) {
                    return "MS order: diagnosis code " + dx.trim() + " (multiple sclerosis).";
                }
            }
        }
        String text = TextMatch.normalize(ClinicalContext.join(procedure.reason(), procedure.clinicalInfo()));
        if (m.namesMs(text)) {
            return "MS order: the reason or clinical information names multiple sclerosis.";
        }
        return null;
    }

    private static List<Match> evaluate(MappingSnapshot m, ClinicalContext ctx, List<PriorExam> past, LocalDate ref,
                                      List<String> notes) {
        MappingDocument.Rules r = m.rules();
        Set<Situation> s = ctx.situations();
        List<Match> out = new ArrayList<>();

        if (s.contains(Situation.DIAGNOSIS)) {
            out.add(new Match(RuleName.DIAGNOSIS, ExamCard.FULL, true, false,
                    "OFSEP 2020: Gd at diagnosis (first MRI), full protocol; SWI or 2D T2* GRE suggested for the"
                            + " differential diagnosis and the central vein sign.",
                    m.nextMriMonths(RuleName.DIAGNOSIS), seq(r.diagnosis() == null ? null : r.diagnosis().suggestedSequences())));
        }

        boolean historyPrior = past.stream().anyMatch(p -> p.examCard() != null);
        boolean obxPrior = (ctx.priorMri() != null || ctx.priorMriMentioned())
                && !Boolean.FALSE.equals(ctx.priorMri3dFlair());
        if (!historyPrior && !obxPrior) {
            String why = Boolean.FALSE.equals(ctx.priorMri3dFlair())
                    ? "OFSEP 2020: Gd when the previous MRI did not follow the standardized protocol with 3D FLAIR"
                            + " (not comparable), full protocol."
                    : "OFSEP 2020: Gd when no previous MRI is available for comparison, full protocol.";
            out.add(new Match(RuleName.NO_COMPARABLE_PRIOR, ExamCard.FULL, true, false, why,
                    m.nextMriMonths(RuleName.NO_COMPARABLE_PRIOR), List.of()));
        }

        LocalDate start = ctx.dmtStart();
        boolean newDmtWindow = start != null && !start.isBefore(ref.minusDays(r.newDmt().daysBefore()))
                && !start.isAfter(ref.plusDays(r.newDmt().daysAfter()));
        // a start still to come is a baseline before the new treatment (OFSEP 2020: "due to start a new DMT")
        boolean plannedLater = start != null && ctx.dmtStartPlanned() && start.isAfter(ref);
        if (s.contains(Situation.NEW_DMT) || newDmtWindow || plannedLater) {
            String detail = newDmtWindow || plannedLater ? " (treatment " + (ctx.dmtStartPlanned() ? "planned to start "
                    : "start ") + start + ", " + describeDays(ref, start) + ")" : "";
            out.add(new Match(RuleName.NEW_DMT, ExamCard.FULL, true, false,
                    "OFSEP 2020: Gd when a new disease-modifying therapy is introduced (baseline)" + detail
                            + ", full protocol.", m.nextMriMonths(RuleName.NEW_DMT), List.of()));
        }

        if (start != null && !start.isBefore(ref.minusMonths(r.rebaseline().toMonths()))
                && !start.isAfter(ref.minusMonths(r.rebaseline().fromMonths()))) {
            out.add(new Match(RuleName.REBASELINE, ExamCard.FULL, true, false,
                    "OFSEP 2020: Gd at the 6-month re-baseline after a new disease-modifying therapy (started "
                            + start + "), full protocol.", m.nextMriMonths(RuleName.REBASELINE), List.of()));
        }

        List<Situation> optionalGd = new ArrayList<>();
        for (Situation sit : List.of(Situation.RELAPSE, Situation.PML_SUSPICION, Situation.INTERCURRENT)) {
            if (s.contains(sit)) {
                optionalGd.add(sit);
            }
        }
        if (!optionalGd.isEmpty()) {
            boolean inject = optionalGd.stream().anyMatch(m::injects);
            String what = String.join(", ", optionalGd.stream().map(OfsepDecisionEngine::words).toList());
            List<String> seqs = optionalGd.contains(Situation.PML_SUSPICION) && r.pmlSuspicion() != null
                    ? seq(r.pmlSuspicion().addSequences()) : List.of();
            String reason = "OFSEP 2020: Gd is optional in case of " + what + "; the site policy "
                    + (inject ? "injects" : "does not inject") + ", full protocol"
                    + (optionalGd.contains(Situation.PML_SUSPICION) ? "; 3D DIR and SWI for the suspected PML." : ".");
            RuleName rn = RuleName.valueOf(optionalGd.get(0).name());
            out.add(new Match(rn, ExamCard.FULL, inject, true, reason, m.nextMriMonths(rn), seqs));
        }

        var pml = r.pmlScreening();
        boolean highRisk = ctx.dmt() != null && (ctx.dmtPmlRisk() || pml.highRiskDmts().stream()
                .anyMatch(d -> TextMatch.normalize(d).equals(TextMatch.normalize(ctx.dmt()))));
        boolean jcvPositive = Boolean.TRUE.equals(ctx.jcvPositive())
                || (ctx.jcvIndex() != null && ctx.jcvIndex().compareTo(pml.jcvPositivityCutoff()) >= 0);
        if (highRisk && jcvPositive) {
            if (start == null || ctx.dmtStartPlanned()) {
                // not silently dropped: the screening cannot be assessed without the treatment duration
                notes.add("PML screening not assessed: " + ctx.dmt() + " with JCV positive, but the treatment start"
                        + " date (" + m.observationCodes().dmtStart() + ") is unknown.");
            } else if (!start.isAfter(ref.minusMonths(pml.minMonthsOnDmt()))) {
                boolean highIndex = ctx.jcvIndex() != null && ctx.jcvIndex().compareTo(pml.highIndexThreshold()) >= 0;
                int interval = highIndex ? pml.intervalMonthsHighIndex() : pml.intervalMonthsOtherwise();
                String band = ctx.jcvIndex() == null ? "JCV positive"
                        : "JCV index " + ctx.jcvIndex().stripTrailingZeros().toPlainString()
                                + (highIndex ? " >= " + pml.highIndexThreshold().stripTrailingZeros().toPlainString()
                                        : " < " + pml.highIndexThreshold().stripTrailingZeros().toPlainString());
                out.add(new Match(RuleName.PML_SCREENING, ExamCard.PML_SHORT, false, false,
                        "OFSEP 2020: PML screening under " + ctx.dmt() + " since " + start + " ("
                                + pml.minMonthsOnDmt() + " months or more) with " + band + ": short protocol (DWI + ADC, 3D FLAIR) without"
                                + " Gd, every " + (highIndex && interval != pml.intervalMonthsOtherwise()
                                ? Math.min(interval, pml.intervalMonthsOtherwise()) + " to " + Math.max(interval,
                                pml.intervalMonthsOtherwise()) : String.valueOf(interval)) + " months.",
                        interval, seq(pml.suggestedSequences())));
            }
        }

        out.add(new Match(RuleName.ROUTINE_FOLLOW_UP, ExamCard.ROUTINE, false, false,
                "OFSEP 2020: stable follow-up with a comparable standardized prior MRI (3D FLAIR): routine protocol"
                        + " without Gd.", m.nextMriMonths(RuleName.ROUTINE_FOLLOW_UP), List.of()));
        return out;
    }

    private static List<String> seq(List<String> l) {
        return l == null ? List.of() : l;
    }

    private static boolean isOptional(MappingSnapshot m, CardName card, String name) {
        var c = m.card(card);
        return c != null && c.sequences().stream()
                .anyMatch(s -> name.equals(s.name()) && Boolean.TRUE.equals(s.optional()));
    }

    private static String words(Situation s) {
        return switch (s) {
            case RELAPSE -> "relapse";
            case PML_SUSPICION -> "suspected PML";
            case INTERCURRENT -> "intercurrent disease";
            default -> s.name().toLowerCase(Locale.ROOT);
        };
    }

    private static String describeDays(LocalDate ref, LocalDate start) {
        long d = ChronoUnit.DAYS.between(start, ref);
        if (d == 0) {
            return "on the exam day";
        }
        return d > 0 ? d + " days before the exam" : (-d) + " days after the exam";
    }

    /** 0.1 mmol/kg; mmol rounded to 0.01, volume to 0.1 mL (what a syringe or injector is set to). */
    static ContrastDose dose(MappingDocument.Agent agent, BigDecimal mmolPerKg, double weightKg) {
        BigDecimal exact = mmolPerKg.multiply(BigDecimal.valueOf(weightKg));
        BigDecimal mmol = exact.setScale(2, RoundingMode.HALF_UP);
        BigDecimal ml = exact.divide(agent.concentrationMmolPerMl(), 10, RoundingMode.HALF_UP)
                .setScale(1, RoundingMode.HALF_UP);
        return new ContrastDose(agent.name(), mmol.doubleValue(), ml.doubleValue());
    }

    static String fmt(double v, int decimals) {
        return BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
    }
}
