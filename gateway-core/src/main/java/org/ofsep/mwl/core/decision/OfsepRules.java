package org.ofsep.mwl.core.decision;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.RuleId;
import org.ofsep.mwl.core.mapping.MappingDocument;
import org.ofsep.mwl.core.mapping.MappingDocument.Situation;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.text.TextMatch;

/**
 * The OFSEP 2020 recommendations (Brisset et al., "New OFSEP recommendations for MRI assessment of multiple
 * sclerosis patients", 2020) as one table: one entry per recommendation, with the sentence it implements, when it
 * applies, the card, whether Gd is required, optional or not given, and where its interval advice comes from.
 * {@link OfsepDecisionEngine} walks the table in order: the first entry that applies decides; the later ones that
 * apply are cited and their interval counts. The last entry applies when no other does.
 *
 * <p>Each rule's settings are grouped under its id in the mapping ({@code rules.<ID>}); the policies that apply
 * beside the table (field strength, spine, dose, safety alerts) are in {@code org.ofsep.mwl.core.decision.policy}.
 * docs/mapping.md lists the same entries (a test keeps them the same).
 */
public final class OfsepRules {

    /** Gadolinium for a rule. */
    public enum Gd {
        /** Injected. */
        REQUIRED,
        /** Optional: injected when the site's {@code rules.<ID>.inject} says so (default true). */
        OPTIONAL,
        /** Not injected. */
        NONE
    }

    /** Where a rule's advice for the next MRI comes from. */
    public enum Interval {
        /** {@code rules.<ID>.nextMriMonths}; no advice when absent. */
        SETTING,
        /** Computed by the rule from the JCV index band ({@code rules.PML_SCREENING.intervalMonths*}). */
        JCV_INDEX_BAND
    }

    /**
     * What the rules read: the typed clinical facts (whatever their source), the completed exams on or before the
     * reference date, the reference date, and the mapping in force. {@code notes} collects what a rule could not
     * assess (said in the reasons, never guessed).
     */
    public record Input(MappingSnapshot mapping, ClinicalContext facts, List<PriorExam> past, LocalDate reference,
                        List<String> notes) {
        public Input {
            Objects.requireNonNull(mapping, "mapping");
            Objects.requireNonNull(facts, "facts");
            Objects.requireNonNull(reference, "reference");
            past = past == null ? List.of() : past;
        }

        MappingDocument.Rules settings() {
            return mapping.rules();
        }
    }

    /**
     * What a rule found when it applies. For a {@link Gd#OPTIONAL} rule, {@code reason} is the situation in words
     * ("relapse"): the optional situations present together are one finding (OFSEP 2020 names them in one
     * sentence), whose reason the engine writes.
     *
     * @param reason          the plain-language reason, citing the recommendation
     * @param sequences       optional sequences the rule suggests (names of optional sequences of its card)
     * @param intervalMonths  the rule's own interval advice ({@link Interval#JCV_INDEX_BAND}), else null
     */
    public record Finding(String reason, List<String> sequences, Integer intervalMonths) {
        public Finding {
            Objects.requireNonNull(reason, "reason");
            sequences = sequences == null ? List.of() : List.copyOf(sequences);
        }

        static Finding of(String reason) {
            return new Finding(reason, List.of(), null);
        }
    }

    /** When a rule applies: its finding, or null when it does not. */
    @FunctionalInterface
    public interface Condition {
        Finding test(Input in);
    }

    /**
     * One recommendation as a rule.
     *
     * @param id             the rule's id, also its key in the mapping's {@code rules}
     * @param recommendation the sentence of the recommendations it implements, quoted
     * @param appliesWhen    when it applies, in words (the condition is {@code condition})
     * @param card           the brain exam card it decides
     * @param gd             Gd required, optional or none
     * @param interval       where its interval advice comes from
     * @param condition      whether it applies to an order, and what it found
     */
    public record Rule(RuleId id, String recommendation, String appliesWhen, ExamCard card, Gd gd, Interval interval,
                       Condition condition) {
        public Rule {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(recommendation, "recommendation");
            Objects.requireNonNull(card, "card");
            Objects.requireNonNull(gd, "gd");
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(condition, "condition");
        }
    }

    /** The table, in the order the rules are tried. */
    public static final List<Rule> TABLE = List.of(
            new Rule(RuleId.DIAGNOSIS,
                    "1- To establish a medical diagnosis on the first MRI or in absence of a previous MRI.",
                    "MS-CONTEXT DIAGNOSIS",
                    ExamCard.FULL, Gd.REQUIRED, Interval.SETTING,
                    in -> !in.facts().situations().contains(Situation.DIAGNOSIS) ? null : new Finding(
                            "OFSEP 2020: Gd at diagnosis (first MRI), full protocol; SWI or 2D T2* GRE suggested for"
                                    + " the differential diagnosis and the central vein sign.",
                            in.settings().diagnosis() == null ? null : in.settings().diagnosis().suggestedSequences(),
                            null)),
            new Rule(RuleId.NO_COMPARABLE_PRIOR,
                    "If previous MRI is not available",
                    "no previous brain MRI known (PRIOR-MRI, the order's text) and no OFSEP exam in the gateway's"
                            + " history, or the previous MRI without 3D FLAIR (and no OFSEP exam in history)",
                    ExamCard.FULL, Gd.REQUIRED, Interval.SETTING,
                    OfsepRules::noComparablePrior),
            new Rule(RuleId.NEW_DMT,
                    "2- In the case of patients who are due to start a new DMT, to establish a new baseline and allow"
                            + " a further evaluation of the treatment effectiveness.",
                    "MS-CONTEXT NEW_DMT, or DMT-START from daysBefore before to daysAfter after the exam (inclusive), or"
                            + " a treatment start still planned after the exam",
                    ExamCard.FULL, Gd.REQUIRED, Interval.SETTING,
                    OfsepRules::newDmt),
            new Rule(RuleId.REBASELINE,
                    "3- Additional Gd-enhanced scans can be performed six months (time to adjust in regard of the"
                            + " marketing authorization applications of the drug) after the introduction of the new"
                            + " drug to get a more accurate baseline scan and avoid biases linked to the delay of"
                            + " action [4,29].",
                    "DMT-START from toMonths to fromMonths months before the exam (inclusive)",
                    ExamCard.FULL, Gd.REQUIRED, Interval.SETTING,
                    OfsepRules::rebaseline),
            new Rule(RuleId.RELAPSE,
                    "4- In case of a relapse, an optional Gd-enhanced MRI can be proposed to evaluate the severity of"
                            + " the attack and the current inflammatory state.",
                    "MS-CONTEXT RELAPSE",
                    ExamCard.FULL, Gd.OPTIONAL, Interval.SETTING,
                    in -> situation(in, Situation.RELAPSE, "relapse", null)),
            new Rule(RuleId.PML_SUSPICION,
                    "The radiologist can decide to carry out complementary post-enhanced 3D T1, when faced with"
                            + " atypical imaging patterns during the follow-up or a doubt about a PML complication.",
                    "MS-CONTEXT PML_SUSPICION",
                    ExamCard.FULL, Gd.OPTIONAL, Interval.SETTING,
                    in -> situation(in, Situation.PML_SUSPICION, "suspected PML",
                            in.settings().pmlSuspicion() == null ? null : in.settings().pmlSuspicion().addSequences())),
            new Rule(RuleId.INTERCURRENT,
                    "Gd administration can be performed as an option in case of relapse or suspicion of intercurrent"
                            + " disease such as progressive multifocal leukoencephalopathy.",
                    "MS-CONTEXT INTERCURRENT",
                    ExamCard.FULL, Gd.OPTIONAL, Interval.SETTING,
                    in -> situation(in, Situation.INTERCURRENT, "intercurrent disease", null)),
            new Rule(RuleId.PML_SCREENING,
                    "Patients with an index ≥ 1·5 present a risk to develop PML and must be imaged after 18 months of"
                            + " immunotherapy every 3-4 months with a quick but essential protocol (DWI+ADC, 3D FLAIR).",
                    "DMT in highRiskDmts (or a treatment with pmlRisk) since at least minMonthsOnDmt months, and JCV"
                            + " positive (JCV-STATUS POS, or JCV-INDEX ≥ jcvPositivityCutoff)",
                    ExamCard.PML_SHORT, Gd.NONE, Interval.JCV_INDEX_BAND,
                    OfsepRules::pmlScreening),
            new Rule(RuleId.ROUTINE_FOLLOW_UP,
                    "Other follow-up MRIs do not require contrast enhancement, provided current and previous MRI"
                            + " acquisitions follow the same standardized protocol including 3D FLAIR sequences.",
                    "otherwise (stable, with a comparable prior)",
                    ExamCard.ROUTINE, Gd.NONE, Interval.SETTING,
                    OfsepRules::routineFollowUp));

    private OfsepRules() {
    }

    /** The entry of a rule id ({@link RuleId#NOT_OFSEP} has none). */
    public static Rule rule(RuleId id) {
        return TABLE.stream().filter(r -> r.id() == id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(id + " is not a rule of the table"));
    }

    private static Finding situation(Input in, Situation s, String words, List<String> sequences) {
        return in.facts().situations().contains(s) ? new Finding(words, sequences, null) : null;
    }

    /**
     * The routine follow-up, saying whether the prior's protocol is known to be the standardized one (a 3D FLAIR
     * stated or found in the PACS, an OFSEP exam in the gateway's history) or only taken to be: a previous MRI
     * with nothing said of its protocol read "a comparable standardized prior MRI (3D FLAIR)" though no one said so.
     */
    private static Finding routineFollowUp(Input in) {
        boolean known = Boolean.TRUE.equals(in.facts().priorMri3dFlair())
                || in.past().stream().anyMatch(p -> p.examCard() != null);
        return Finding.of(known
                ? "OFSEP 2020: stable follow-up with a comparable standardized prior MRI (3D FLAIR): routine protocol"
                        + " without Gd."
                : "OFSEP 2020: stable follow-up with a previous MRI whose protocol is not stated (taken as the"
                        + " standardized one with 3D FLAIR): routine protocol without Gd.");
    }

    private static Finding noComparablePrior(Input in) {
        ClinicalContext ctx = in.facts();
        boolean historyPrior = in.past().stream().anyMatch(p -> p.examCard() != null);
        boolean obxPrior = (ctx.priorMri() != null || ctx.priorMriMentioned())
                && !Boolean.FALSE.equals(ctx.priorMri3dFlair());
        if (historyPrior || obxPrior) {
            return null;
        }
        return Finding.of(Boolean.FALSE.equals(ctx.priorMri3dFlair())
                ? "OFSEP 2020: Gd when the previous MRI did not follow the standardized protocol with 3D FLAIR"
                        + " (not comparable), full protocol."
                : "OFSEP 2020: Gd when no previous MRI is available for comparison, full protocol.");
    }

    private static Finding newDmt(Input in) {
        var r = in.settings().newDmt();
        LocalDate ref = in.reference();
        LocalDate start = in.facts().dmtStart();
        boolean window = start != null && !start.isBefore(ref.minusDays(r.daysBefore()))
                && !start.isAfter(ref.plusDays(r.daysAfter()));
        // a start still to come is a baseline before the new treatment (OFSEP 2020: "due to start a new DMT")
        boolean plannedLater = start != null && in.facts().dmtStartPlanned() && start.isAfter(ref);
        if (!window && !plannedLater && !in.facts().situations().contains(Situation.NEW_DMT)) {
            return null;
        }
        String detail = window || plannedLater ? " (treatment " + (in.facts().dmtStartPlanned()
                ? "planned to start " : "start ") + start + ", " + describeDays(ref, start) + ")" : "";
        return Finding.of("OFSEP 2020: Gd when a new disease-modifying therapy is introduced (baseline)" + detail
                + ", full protocol.");
    }

    private static Finding rebaseline(Input in) {
        var r = in.settings().rebaseline();
        LocalDate ref = in.reference();
        LocalDate start = in.facts().dmtStart();
        if (start == null || start.isBefore(ref.minusMonths(r.toMonths()))
                || start.isAfter(ref.minusMonths(r.fromMonths()))) {
            return null;
        }
        return Finding.of("OFSEP 2020: Gd at the 6-month re-baseline after a new disease-modifying therapy (started "
                + start + "), full protocol.");
    }

    private static Finding pmlScreening(Input in) {
        var pml = in.settings().pmlScreening();
        ClinicalContext ctx = in.facts();
        boolean highRisk = ctx.dmt() != null && (ctx.dmtPmlRisk() || pml.highRiskDmts().stream()
                .anyMatch(d -> TextMatch.normalize(d).equals(TextMatch.normalize(ctx.dmt()))));
        boolean jcvPositive = Boolean.TRUE.equals(ctx.jcvPositive())
                || (ctx.jcvIndex() != null && ctx.jcvIndex().compareTo(pml.jcvPositivityCutoff()) >= 0);
        if (!highRisk || !jcvPositive) {
            return null;
        }
        LocalDate start = ctx.dmtStart();
        if (start == null || ctx.dmtStartPlanned()) {
            // not silently dropped: the screening cannot be assessed without the treatment duration
            in.notes().add("PML screening not assessed: " + ctx.dmt() + " with JCV positive, but the treatment start"
                    + " date (" + in.mapping().observationCodes().dmtStart() + ") is unknown.");
            return null;
        }
        if (start.isAfter(in.reference().minusMonths(pml.minMonthsOnDmt()))) {
            return null;
        }
        boolean highIndex = ctx.jcvIndex() != null && ctx.jcvIndex().compareTo(pml.highIndexThreshold()) >= 0;
        int interval = highIndex ? pml.intervalMonthsHighIndex() : pml.intervalMonthsOtherwise();
        String threshold = pml.highIndexThreshold().stripTrailingZeros().toPlainString();
        String band = ctx.jcvIndex() == null ? "JCV positive"
                : "JCV index " + ctx.jcvIndex().stripTrailingZeros().toPlainString()
                        + (highIndex ? " >= " + threshold : " < " + threshold);
        String every = highIndex && interval != pml.intervalMonthsOtherwise()
                ? Math.min(interval, pml.intervalMonthsOtherwise()) + " to "
                        + Math.max(interval, pml.intervalMonthsOtherwise())
                : String.valueOf(interval);
        return new Finding("OFSEP 2020: PML screening under " + ctx.dmt() + " since " + start + " ("
                + pml.minMonthsOnDmt() + " months or more) with " + band + ": short protocol (DWI + ADC, 3D FLAIR)"
                + " without Gd, every " + every + " months.", pml.suggestedSequences(), interval);
    }

    private static String describeDays(LocalDate ref, LocalDate start) {
        long d = ChronoUnit.DAYS.between(start, ref);
        if (d == 0) {
            return "on the exam day";
        }
        return d > 0 ? d + " days before the exam" : (-d) + " days after the exam";
    }
}
