package org.ofsep.mwl.core.decision;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.ofsep.mwl.core.domain.ContrastDose;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.ReviewState;
import org.ofsep.mwl.core.domain.Vendor;
import org.ofsep.mwl.core.mapping.MappingDocument.CardName;
import org.ofsep.mwl.core.mapping.MappingDocument.ReviewCondition;
import org.ofsep.mwl.core.mapping.MappingSnapshot;

/**
 * The review policy: which decisions a radiologist must confirm (mapping section {@code review}), what the
 * console receives meanwhile, and the decision a radiologist's override makes. Pure, like the engine.
 *
 * <p>A decision is TO_REVIEW when it meets one of the configured conditions: a renal alert, pregnancy, an allergy to gadolinium, Gd
 * without a usable weight, Gd left optional by the recommendations, conflicting facts. While it carries Gd it
 * is <em>held</em>: the console receives the same card without Gd (codes, no contrast agent) and a step
 * description saying it awaits the radiologist. A confirmation publishes the rules' decision as it is.
 */
public final class ReviewPolicy {

    /** The review state the rules' decision starts in, and why. */
    public record Assessment(ReviewState state, List<String> why) {
        public Assessment {
            why = why == null ? List.of() : List.copyOf(why);
        }
    }

    private ReviewPolicy() {
    }

    /** This policy as the decision module's review hook ({@link org.ofsep.mwl.core.decision.policy.ReviewPolicy}). */
    public static org.ofsep.mwl.core.decision.policy.ReviewPolicy hook(MappingSnapshot m) {
        return d -> assess(m, d).state();
    }

    /** AUTO, or TO_REVIEW with the conditions met (in the order of {@link ReviewCondition}). */
    public static Assessment assess(MappingSnapshot m, Decision d) {
        if (d == null || !d.ofsep()) {
            return new Assessment(ReviewState.AUTO, List.of());
        }
        Set<ReviewCondition> when = m.reviewWhen();
        List<String> why = new ArrayList<>();
        for (ReviewCondition c : ReviewCondition.values()) {
            if (!when.contains(c)) {
                continue;
            }
            String because = because(c, d);
            if (because != null) {
                why.add(because);
            }
        }
        return new Assessment(why.isEmpty() ? ReviewState.AUTO : ReviewState.TO_REVIEW, why);
    }

    /** Why condition {@code c} holds for {@code d}, or null when it does not. */
    static String because(ReviewCondition c, Decision d) {
        return switch (c) {
            // Gd safety alerts: they matter only when the decision injects
            case RENAL_ALERT -> d.contrast() ? alert(d, "RENAL_ALERT", "egfr", "creatinin", "renal", "clairance") : null;
            case PREGNANCY -> d.contrast() ? alert(d, "PREGNANCY", "pregnan", "grossesse", "enceinte") : null;
            case GD_ALLERGY -> d.contrast() ? alert(d, "GD_ALLERGY", "allergy", "allergie") : null;
            case NO_WEIGHT_FOR_GD -> d.contrast() && d.contrastDose() == null
                    ? "NO_WEIGHT_FOR_GD: Gd without a usable patient weight, the dose is not computed" : null;
            case GD_OPTIONAL -> d.contrastOptional()
                    ? "GD_OPTIONAL: Gd is optional in this situation (rule " + d.rule() + "), the site policy "
                            + (d.contrast() ? "injects" : "does not inject") : null;
            case CONFLICTING_FACTS -> {
                String a = alert(d, "CONFLICTING_FACTS", "conflict", "contradict", "incoheren", "incohéren");
                if (a == null) {
                    for (String r : d.reasons()) {
                        String low = r.toLowerCase(Locale.ROOT);
                        if (low.contains("conflicting") || low.contains("contradict")) {
                            a = "CONFLICTING_FACTS: " + r;
                            break;
                        }
                    }
                }
                yield a;
            }
        };
    }

    private static String alert(Decision d, String label, String... words) {
        for (String a : d.alerts()) {
            String low = a.toLowerCase(Locale.ROOT);
            if (!"CONFLICTING_FACTS".equals(label) && low.startsWith("conflict")) {
                continue; // a conflict between two values is CONFLICTING_FACTS, not a safety alert of its own
            }
            for (String w : words) {
                if (low.contains(w)) {
                    return label + ": " + a;
                }
            }
        }
        return null;
    }

    /** Whether a decision in this state is held back from the console (Gd waits for the radiologist). */
    public static boolean held(ReviewState state, Decision rules) {
        return state == ReviewState.TO_REVIEW && rules != null && rules.contrast();
    }

    /**
     * What the console receives for the rules' decision in this state: the decision itself, or while it awaits
     * the radiologist with Gd, the same card and spine without Gd.
     */
    public static Decision published(MappingSnapshot m, Decision rules, ReviewState state) {
        if (!held(state, rules)) {
            return rules;
        }
        List<String> reasons = new ArrayList<>();
        reasons.add("Awaiting the radiologist: Gd is withheld until a radiologist confirms it.");
        reasons.addAll(rules.reasons());
        return rebuild(m, rules, rules.examCard(), false, rules.optionalSequences(), null, reasons);
    }

    /** The step description while the decision awaits the radiologist, from the mapping's template. */
    public static String awaitingDescription(MappingSnapshot m, Decision d) {
        String card = d.examCard() == null ? "MOELLE"
                : d.examCard().name().replace('_', ' ') + (d.spine() ? " + MOELLE" : "");
        return WorklistTexts.truncate(m.awaitingDescription().replace("{card}", card), WorklistTexts.LO_MAX);
    }

    /**
     * The decision a radiologist's override makes: the chosen card (null keeps the rules' card), Gd or not,
     * the optional sequences chosen (null keeps the rules' suggestions); codes and dose follow the mapping and
     * the patient's weight. The rules' reasons and alerts stay, after the radiologist's reason.
     */
    public static Decision override(MappingSnapshot m, Decision rules, ExamCard card, boolean contrast,
                                    List<String> optionalSequences, Double weightKg, String who, String reason) {
        Objects.requireNonNull(rules, "rules");
        if (rules.examCard() == null && rules.spine() && card != null) {
            // a spinal cord MRI stays one: a brain card added an exam nobody ordered (OFSEP FULL + MOELLE)
            throw new IllegalArgumentException("this step is a spinal cord MRI: an override keeps it (Gd or not, "
                    + "no examCard); a brain MRI is another exam, ordered by the RIS");
        }
        ExamCard chosen = card != null ? card : rules.examCard();
        if (contrast && chosen != null && chosen != ExamCard.FULL) {
            throw new IllegalArgumentException("the " + chosen + " card has no gadolinium version: choose FULL for Gd");
        }
        List<String> reasons = new ArrayList<>();
        // the optional sequences she chose reach the console as the rules' suggestions do, in the Requested
        // Procedure Comments (they were only on the board and in the audit trail); an explicit empty choice says so,
        // as the rules' reasons below may still suggest some
        String sequences = optionalSequences == null ? ""
                : optionalSequences.isEmpty() ? ", no optional sequence"
                : ", optional sequences: " + String.join(", ", optionalSequences);
        reasons.add("Radiologist override by " + who + ": " + (chosen == null ? "spine" : chosen.name())
                + (contrast ? " with Gd" : " without Gd") + sequences + ". Reason: " + reason);
        reasons.addAll(rules.reasons());
        ContrastDose dose = null;
        List<String> alerts = new ArrayList<>(rules.alerts());
        if (contrast) {
            dose = m.dosePolicy().apply(weightKg).dose();
            if (dose == null && alerts.stream().noneMatch(a -> a.startsWith("Gd: ") && a.contains("dose not computed"))) {
                alerts.add("Gd: no patient weight, dose not computed");
            }
            // she chose Gd knowing the alerts: the console says so (it read "radiologist to confirm" as for a Gd
            // no one had looked at)
            alerts = confirmedAlerts(alerts, who);
        } else {
            // no Gd: the alerts about injecting it no longer apply (the console kept "Gd with eGFR 25 < 30:
            // radiologist to confirm" after the radiologist chose no Gd); conflicts and other alerts stay, and the
            // pregnancy and allergies still reach the console in their own attributes
            alerts.removeIf(a -> a.startsWith("Gd: ") || a.startsWith("Gd with ") || a.startsWith("Gd in "));
        }
        List<String> seqs = optionalSequences == null ? rules.optionalSequences() : optionalSequences;
        if (optionalSequences != null) {
            // a radiologist's choice goes to the console and the audit trail: only the chosen card's optional
            // sequences (mapping.yaml, examCards; the board offers those of the card chosen), never free text
            String cardName = chosen == null ? "SPINE" : chosen.name();
            List<String> allowed = optionalSequencesByCard(m).getOrDefault(cardName, List.of());
            for (String name : optionalSequences) {
                if (name == null || !allowed.contains(name)) {
                    throw new IllegalArgumentException("optionalSequences: '" + (name == null ? "null"
                            : name.length() > 64 ? name.substring(0, 64) + "..." : name)
                            + "' is not an optional sequence of the " + cardName + " card " + allowed);
                }
            }
        }
        Decision base = new Decision(rules.ofsep(), chosen, contrast, rules.contrastOptional(), rules.spine(),
                rules.spineDue(), rules.rule(), reasons, alerts, dose, rules.nextMriMonths(), seqs, null, null,
                rules.facts());
        return rebuild(m, base, chosen, contrast, seqs, dose, reasons);
    }

    /** How a safety alert that asks for a radiologist ends ({@link org.ofsep.mwl.core.decision.policy.SafetyAlertPolicy}). */
    public static final String TO_CONFIRM = ": radiologist to confirm";

    /**
     * The decision a radiologist's confirmation publishes: the rules' decision (card, Gd, codes, dose, sequences),
     * with a first reason naming who confirmed it and when (the console's Requested Procedure Comments) and each
     * alert that asked for a radiologist saying who confirmed it ({@link #confirmedAlerts}). The console showed a
     * confirmed Gd exactly as an unconfirmed one: the Gd card with "radiologist to confirm" on Medical Alerts.
     *
     * @param when   when, as the site reads it ("2026-03-03 09:31 CET")
     * @param reason the radiologist's reason, or null
     */
    public static Decision confirmed(Decision rules, String who, String when, String reason) {
        Objects.requireNonNull(rules, "rules");
        List<String> reasons = new ArrayList<>();
        reasons.add("Radiologist confirmation by " + who + " at " + when + ": "
                + (rules.examCard() == null ? "spine" : rules.examCard().name())
                + (rules.contrast() ? " with Gd" : " without Gd")
                + (reason == null || reason.isBlank() ? "." : ". Reason: " + reason));
        reasons.addAll(rules.reasons());
        return new Decision(rules.ofsep(), rules.examCard(), rules.contrast(), rules.contrastOptional(), rules.spine(),
                rules.spineDue(), rules.rule(), reasons, confirmedAlerts(rules.alerts(), who), rules.contrastDose(),
                rules.nextMriMonths(), rules.optionalSequences(), rules.defaultCodes(), rules.vendorCodes(),
                rules.facts());
    }

    /**
     * The alerts once a radiologist decided Gd with them: "Gd with eGFR 25 &lt; 30: radiologist to confirm" becomes
     * "Gd with eGFR 25 &lt; 30: confirmed by dr.martin", the alert's substance kept; when the name does not fit one
     * Medical Alerts value (LO, 64 characters) it says "confirmed" only (shorter than the text it replaces, so it
     * always fits: nothing is cut). Other alerts stay as they are.
     */
    public static List<String> confirmedAlerts(List<String> alerts, String who) {
        List<String> out = new ArrayList<>(alerts.size());
        for (String a : alerts) {
            if (!a.endsWith(TO_CONFIRM)) {
                out.add(a);
                continue;
            }
            String head = a.substring(0, a.length() - TO_CONFIRM.length());
            String named = head + ": confirmed by " + who;
            out.add(org.ofsep.mwl.core.order.FreeText.tooLong(named, WorklistTexts.LO_MAX) ? head + ": confirmed"
                    : named);
        }
        return out;
    }

    /** The decision with this card and contrast: the codes of the mapping for each vendor. */
    private static Decision rebuild(MappingSnapshot m, Decision d, ExamCard card, boolean contrast,
                                    List<String> optional, ContrastDose dose, List<String> reasons) {
        List<ProtocolCode> defaultCodes = new ArrayList<>();
        Map<Vendor, List<ProtocolCode>> vendorCodes = new EnumMap<>(Vendor.class);
        if (card != null) {
            CardName cn = CardName.valueOf(card.name());
            boolean gd = contrast && cn == CardName.FULL;
            defaultCodes.add(m.defaultCode(cn, gd));
            m.vendorCodes(cn, gd).forEach((v, c) -> vendorCodes.computeIfAbsent(v, k -> new ArrayList<>()).add(c));
        }
        if (d.spine()) {
            defaultCodes.add(m.defaultCode(CardName.SPINE, contrast));
            m.vendorCodes(CardName.SPINE, contrast)
                    .forEach((v, c) -> vendorCodes.computeIfAbsent(v, k -> new ArrayList<>()).add(c));
        }
        return new Decision(d.ofsep(), card, contrast, d.contrastOptional(), d.spine(), d.spineDue(), d.rule(),
                reasons, d.alerts(), dose, d.nextMriMonths(), optional, defaultCodes, Map.copyOf(vendorCodes), d.facts());
    }

    /** Each exam card's optional sequences, in the mapping's order (mapping.yaml, examCards). */
    public static Map<String, List<String>> optionalSequencesByCard(MappingSnapshot m) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        for (var card : org.ofsep.mwl.core.mapping.MappingDocument.CardName.values()) {
            var entry = m.card(card);
            out.put(card.name(), entry == null ? List.of() : entry.sequences().stream()
                    .filter(sq -> Boolean.TRUE.equals(sq.optional())).map(sq -> sq.name()).toList());
        }
        return out;
    }

    /**
     * Whether a new automatic decision ({@code rules}) decides the exam a person chose ({@code chosen}, an override
     * of {@code earlierRules}): the same card, Gd, spine, codes and dose, and no safety alert the person did not see
     * (those of the decision they overrode and of their own). The rules then agree with the person, whose decision
     * stands without a second review; alerts the rules no longer raise do not matter (e.g. Gd withheld by the
     * override for an eGFR of 24, and now by the rules too).
     */
    public static boolean agreesWithPerson(Decision chosen, Decision earlierRules, Decision rules) {
        if (chosen == null || rules == null || !chosen.ofsep() || !rules.ofsep()) {
            return false;
        }
        java.util.Set<String> seen = new java.util.HashSet<>(chosen.alerts());
        if (earlierRules != null) {
            seen.addAll(earlierRules.alerts());
        }
        return sameProtocol(chosen, rules) && seen.containsAll(rules.alerts());
    }

    /** The same card, Gd, spine, codes and dose: what the console performs. */
    private static boolean sameProtocol(Decision a, Decision b) {
        return a.examCard() == b.examCard() && a.contrast() == b.contrast() && a.spine() == b.spine()
                && a.defaultCodes().equals(b.defaultCodes()) && Objects.equals(a.contrastDose(), b.contrastDose());
    }

    /**
     * Whether two automatic decisions decide the same exam (card, Gd, spine, codes, dose) with the same safety
     * alerts: a re-decision that changes none of this does not disturb a radiologist's confirmation or override.
     * A new or changed alert (an eGFR of 24, a pregnancy, sent by an update after Gd was confirmed) is not what the
     * person decided on: the decision goes back to review, and a reviewer of the version without it must reload.
     */
    public static boolean sameExam(Decision a, Decision b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.ofsep() == b.ofsep() && sameProtocol(a, b) && a.alerts().equals(b.alerts());
    }
}
