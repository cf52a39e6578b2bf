package org.ofsep.mwl.core.decision;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ofsep.mwl.core.decision.OfsepRules.Finding;
import org.ofsep.mwl.core.decision.OfsepRules.Gd;
import org.ofsep.mwl.core.decision.OfsepRules.Rule;
import org.ofsep.mwl.core.decision.policy.DosePolicy;
import org.ofsep.mwl.core.decision.policy.SpinePolicy;
import org.ofsep.mwl.core.domain.ContrastDose;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.Fact;
import org.ofsep.mwl.core.domain.PacsPriors;
import org.ofsep.mwl.core.domain.PriorExam;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.RuleId;
import org.ofsep.mwl.core.domain.Station;
import org.ofsep.mwl.core.domain.Vendor;
import org.ofsep.mwl.core.mapping.Mapping;
import org.ofsep.mwl.core.mapping.MappingDocument.CardName;
import org.ofsep.mwl.core.mapping.MappingDocument.Region;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.text.TextMatch;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.ProcedureRequest;

/**
 * The OFSEP 2020 decision: which exam card, with or without gadolinium, and why. A small engine that walks the
 * rule table ({@link OfsepRules#TABLE}) and applies the policies beside it (field strength, spine, dose, safety
 * alerts: {@code org.ofsep.mwl.core.decision.policy}).
 *
 * <p>The first rule that applies decides the card and the contrast; the later ones that also apply still add their
 * reasons and their advisory interval (the shortest interval wins). Pure: no I/O and no clock; the reference date
 * is the procedure's scheduled date, else {@code today}.
 */
public final class OfsepDecisionEngine implements DecisionEngine {

    /** One rule (or the optional-Gd situations together) that applies, with what it would decide. */
    private record Match(RuleId rule, ExamCard card, boolean contrast, boolean contrastOptional, String reason,
                         Integer nextMriMonths, List<String> optionalSequences) {
    }

    @Override
    public Decision decide(Mapping mapping, OrderMessage order, ProcedureRequest procedure, Station station,
                           List<PriorExam> history, LocalDate today) {
        return decide(mapping, order, procedure, station, history, today, null);
    }

    /**
     * {@inheritDoc} The PACS's previous brain MRI (with or without 3D FLAIR) and last spinal cord MRI are merged
     * with the order's by {@code FactExtractor} (the most recent comparable exam); the PACS's reason line follows
     * the first reason.
     */
    @Override
    public Decision decide(Mapping mapping, OrderMessage order, ProcedureRequest procedure, Station station,
                           List<PriorExam> history, LocalDate today, PacsPriors pacs) {
        MappingSnapshot m = MappingSnapshot.of(mapping);
        Objects.requireNonNull(procedure, "procedure");
        // a procedure that states no clinical information reads that of the order's procedure that does (brain
        // and spine ordered together: the clinician wrote it once)
        OrderProcedures.View view = OrderProcedures.view(m, order, procedure);
        ProcedureRequest asOrdered = procedure;
        procedure = view.procedure();
        String msBecause = msOrderReason(m, order, procedure);
        if (msBecause == null) {
            // not an MS order: no OFSEP decision, but the worklist still says what the order says about pregnancy
            // and allergies
            LocalDate passRef = procedure.scheduledStart() != null ? procedure.scheduledStart().toLocalDate() : today;
            if (passRef == null) {
                return Decision.passThrough(procedure.procedureCode());
            }
            return Decision.passThrough(procedure.procedureCode(), ClinicalContext.read(m, order, procedure, passRef)
                    .facts().facts().stream().filter(f -> Decision.PREGNANCY_FACTS.contains(f.name())
                            || Decision.ALLERGY_FACTS.contains(f.name())).toList());
        }
        m.fieldStrengthPolicy().check(station);
        LocalDate ref = procedure.scheduledStart() != null ? procedure.scheduledStart().toLocalDate()
                : Objects.requireNonNull(today, "today");
        Decision d = decide(m, procedure.procedureCode(), msBecause, ClinicalContext.read(m, order, procedure, ref, pacs),
                history, ref);
        if (OrderProcedures.spineOrderedApart(m, order, asOrdered)) {
            d = OrderProcedures.withoutSpine(m, d); // the order's own spine procedure images it
        }
        if (view.lender() != null) {
            d = PriorFacts.withReason(d, OrderProcedures.borrowed(view.lender()));
        }
        return pacs == null || pacs.reason() == null ? d : PriorFacts.withReason(d, pacs.reason());
    }

    /**
     * The decision for an MS order from typed facts, whatever their source: what the rules and policies read, and
     * nothing else. The station's field strength is checked by the caller ({@link #decide(Mapping, OrderMessage,
     * ProcedureRequest, Station, List, LocalDate)} does).
     *
     * @param procedureCode the requested procedure code (its region: brain, spine or both)
     * @param msBecause     why this is an MS order (the first reason)
     * @param ctx           the clinical facts
     * @param history       the patient's completed exams known to the gateway
     * @param ref           the reference date (the scheduled date)
     */
    public Decision decide(MappingSnapshot m, ProtocolCode procedureCode, String msBecause, ClinicalContext ctx,
                           List<PriorExam> history, LocalDate ref) {
        List<String> reasons = new ArrayList<>();
        reasons.add(msBecause);
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
        List<Match> matches = walk(new OfsepRules.Input(m, ctx, past, ref, notes));
        Match decider = matches.get(0);
        reasons.add(decider.reason());
        reasons.addAll(notes);
        Integer next = decider.nextMriMonths();
        for (Match later : matches.subList(1, matches.size())) {
            reasons.add("Also applies: " + later.reason());
            if (later.nextMriMonths() != null && (next == null || later.nextMriMonths() < next)) {
                next = later.nextMriMonths();
            }
        }

        Region region = m.region(procedureCode);
        boolean brain = region.brain();
        boolean contrast = decider.contrast();
        ExamCard card = brain ? decider.card() : null;
        Set<String> optional = new LinkedHashSet<>();
        if (brain) {
            CardName cardName = CardName.of(decider.card());
            for (Match mt : matches) {
                if (mt.card() == decider.card()) {
                    mt.optionalSequences().stream().filter(s -> isOptional(m, cardName, s)).forEach(optional::add);
                }
            }
        }

        SpinePolicy.Outcome spine = m.spinePolicy().apply(region.spine(), decider.rule() == RuleId.DIAGNOSIS,
                ctx.lastSpineMri(), past, ref);
        reasons.addAll(spine.reasons());

        List<String> alerts = new ArrayList<>(ctx.facts().conflicts());
        ContrastDose dose = null;
        if (contrast) {
            DosePolicy.Outcome d = m.dosePolicy().apply(ctx.weightKg());
            dose = d.dose();
            reasons.add(d.reason());
            alerts.addAll(m.safetyAlertPolicy().alerts(d, ctx.egfr(),
                    ctx.facts() != null && ctx.facts().egfrAtMost(), ctx.pregnant(),
                    ctx.facts() != null && Decision.gdAllergy(ctx.facts().facts())));
        }

        List<ProtocolCode> defaultCodes = new ArrayList<>();
        Map<Vendor, List<ProtocolCode>> vendorCodes = new EnumMap<>(Vendor.class);
        if (brain) {
            CardName cn = CardName.of(card);
            boolean gd = contrast && cn == CardName.FULL;
            defaultCodes.add(m.defaultCode(cn, gd));
            m.vendorCodes(cn, gd).forEach((v, c) -> vendorCodes.computeIfAbsent(v, k -> new ArrayList<>()).add(c));
        }
        if (spine.spine()) {
            defaultCodes.add(m.defaultCode(CardName.SPINE, contrast));
            m.vendorCodes(CardName.SPINE, contrast)
                    .forEach((v, c) -> vendorCodes.computeIfAbsent(v, k -> new ArrayList<>()).add(c));
        }

        return new Decision(true, card, contrast, decider.contrastOptional(), spine.spine(), spine.spineDue(),
                decider.rule(), reasons, alerts, dose, next, List.copyOf(optional), defaultCodes,
                Map.copyOf(vendorCodes), ctx.facts().facts());
    }

    /**
     * Walks the table: every rule that applies, in table order; the optional-Gd situations present together are
     * one match at the place of the first; the last rule (the fallback) only when no other applies.
     */
    private static List<Match> walk(OfsepRules.Input in) {
        MappingSnapshot m = in.mapping();
        List<Match> out = new ArrayList<>();
        List<Rule> table = OfsepRules.TABLE;
        Rule fallback = table.get(table.size() - 1);
        List<Rule> optionalRules = new ArrayList<>();
        List<Finding> optionalFindings = new ArrayList<>();
        int optionalAt = -1;
        for (Rule rule : table) {
            if (rule == fallback) {
                break;
            }
            Finding f = rule.condition().test(in);
            if (f == null) {
                continue;
            }
            if (rule.gd() == Gd.OPTIONAL) {
                if (optionalAt < 0) {
                    optionalAt = out.size();
                }
                optionalRules.add(rule);
                optionalFindings.add(f);
                continue;
            }
            out.add(match(m, rule, f));
        }
        if (optionalAt >= 0) {
            out.add(optionalAt, optionalGd(m, optionalRules, optionalFindings));
        }
        if (out.isEmpty()) {
            out.add(match(m, fallback, fallback.condition().test(in)));
        }
        return out;
    }

    private static Match match(MappingSnapshot m, Rule rule, Finding f) {
        Integer next = rule.interval() == OfsepRules.Interval.JCV_INDEX_BAND ? f.intervalMonths()
                : m.nextMriMonths(rule.id());
        return new Match(rule.id(), rule.card(), rule.gd() == Gd.REQUIRED, false, f.reason(), next, f.sequences());
    }

    /** Relapse, suspected PML, intercurrent disease: Gd optional, injected if the site injects for any of them. */
    private static Match optionalGd(MappingSnapshot m, List<Rule> rules, List<Finding> findings) {
        boolean inject = rules.stream().anyMatch(r -> m.injects(r.id()));
        boolean pml = rules.stream().anyMatch(r -> r.id() == RuleId.PML_SUSPICION);
        String what = String.join(", ", findings.stream().map(Finding::reason).toList());
        String reason = "OFSEP 2020: Gd is optional in case of " + what + "; the site policy "
                + (inject ? "injects" : "does not inject") + ", full protocol"
                + (pml ? "; 3D DIR and SWI for the suspected PML." : ".");
        List<String> sequences = findings.stream().flatMap(f -> f.sequences().stream()).toList();
        Rule first = rules.get(0);
        return new Match(first.id(), first.card(), inject, true, reason, m.nextMriMonths(first.id()), sequences);
    }

    /**
     * A body part other than the brain or the spinal cord, in a procedure's name (OBR-4.2, folded): "IRM genou",
     * "MR Knee", "IRM épaule droite". The orbits, the neck and the thorax are not in it ("IRM rachis thoracique" is
     * a spine MRI, an orbit MRI may be an optic neuritis work-up).
     */
    private static final Pattern OTHER_BODY_PART = Pattern.compile("(?<![\\p{L}\\d])(?:genoux?|knees?|epaules?"
            + "|shoulders?|hanches?|hips?|chevilles?|ankles?|poignets?|wrists?|coudes?|elbows?|hands?|pieds?|foot|feet"
            + "|doigts?|fingers?|orteils?|toes?|cuisses?|thighs?|jambes?|legs?|avant-bras|forearms?|mollets?|calf"
            + "|abdomen|abdominale?|abdominal|pelvis|pelvienne?|pelvic|bassin|foie|liver|hepatiques?|coeur|cardiaques?"
            + "|cardiac|heart|seins?|breasts?|mammaires?|prostate|prostatique|reins?|kidneys?|uterus|ovaires?|ovary"
            + "|ovaries|rectum|rectal|pancreas|entero-irm|enterography|musculo-?squelettique|musculoskeletal"
            + "|articulaire|sacro-iliaques?|sacroiliac|sacro-iliac|lombaires?|lumbar|lombo-sacre\\w*|lumbosacral"
            + "|sacrum|coccyx|plexus)(?![\\p{L}\\d])");
    /**
     * The brain or the spinal cord in a procedure's name: a name that says it images them is theirs, whatever
     * else it names ("IRM cérébrale - pacemaker cardiaque IRM-compatible", "MR Brain (legs weakness)").
     */
    private static final Pattern BRAIN_OR_CORD = Pattern.compile("(?<![\\p{L}\\d])(?:cerebral\\w*|cerveau|encephal\\w*"
            + "|crane|cranien\\w*|brain|medullaire|moelle|spinal cord|(?:cervical|thoracic|dorsal) spine|c-spine|t-spine"
            + "|rachis (?:cervic|dors|thorac)\\w*|ofsep|sep)(?![\\p{L}\\d])");

    /**
     * The body part an unlisted procedure names when it is not the brain or the spinal cord ("genou" in "IRM
     * genou"), or null. Such a procedure is never an MS exam, whatever the order says of the patient: a DG1 G35
     * (the patient's disease) or "SEP" in the reason of a knee MRI gave it the brain card and Gd. A code the
     * mapping lists (procedureRegions.codes, msOrders.procedureCodes) is the site's word and is not second-guessed.
     */
    static String otherBodyPart(MappingSnapshot m, ProtocolCode code) {
        if (code == null || code.meaning() == null || m.listsRegionOf(code) || m.isMsProcedureCode(code)) {
            return null;
        }
        String name = TextMatch.normalize(code.meaning());
        Matcher part = OTHER_BODY_PART.matcher(name);
        return part.find() && !BRAIN_OR_CORD.matcher(name).find() ? part.group() : null;
    }

    /** Why this is an MS order, or null when it is not (then it passes through untouched). */
    static String msOrderReason(MappingSnapshot m, OrderMessage order, ProcedureRequest procedure) {
        if (!m.decidesModality(procedure.modality())) {
            return null;
        }
        if (m.isMsProcedureCode(procedure.procedureCode())) {
            return "MS order: procedure code " + procedure.procedureCode().value() + " is an MS procedure code.";
        }
        if (otherBodyPart(m, procedure.procedureCode()) != null) {
            return null; // a knee MRI of a patient with MS is a knee MRI
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
        if (ClinicalContext.namesDisease(m.msKeywordPatterns(), text)) {
            return "MS order: the reason or clinical information names multiple sclerosis.";
        }
        return null;
    }

    private static boolean isOptional(MappingSnapshot m, CardName card, String name) {
        var c = m.card(card);
        return c != null && c.sequences().stream()
                .anyMatch(s -> name.equals(s.name()) && Boolean.TRUE.equals(s.optional()));
    }

    /** A number with a fixed count of decimals, half up. */
    static String fmt(double v, int decimals) {
        return DosePolicy.fmt(v, decimals);
    }
}
