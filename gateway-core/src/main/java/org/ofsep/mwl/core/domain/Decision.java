package org.ofsep.mwl.core.domain;

import java.util.List;
import java.util.Map;

/**
 * What the OFSEP decision engine decided for one scheduled step, and why. Stored with the worklist item.
 *
 * @param ofsep            true when the order is an MS order and the OFSEP rules applied
 * @param examCard         brain card, null when not OFSEP or brain not ordered
 * @param contrast         Gd is injected
 * @param contrastOptional Gd is optional (relapse, PML suspicion, intercurrent disease) and the site policy chose
 * @param spine            the spine card is part of the exam
 * @param spineDue         advisory: the last spine MRI is over 3 years old or unknown
 * @param rule             the rule of the OFSEP table that decided, {@link RuleId#NOT_OFSEP} for a pass-through
 * @param reasons          plain-language reasons, each citing the recommendation applied
 * @param alerts           safety alerts; carried to Medical Alerts, never dropped
 * @param contrastDose     agent, mmol and mL, or null when no contrast or no weight
 * @param nextMriMonths    advisory interval to the next MRI, null when none
 * @param optionalSequences optional sequences suggested (e.g. "SWI", "3D DIR")
 * @param defaultCodes     the OFSEP protocol codes (scheme 99OFSEP), always sent
 * @param vendorCodes      per-vendor protocol codes, sent before the default codes to that vendor's stations
 * @param facts            the clinical facts read from the order (treatment, previous MRI, JCV, eGFR, pregnancy,
 *                         weight...), each with the HL7 field and the words it came from
 */
public record Decision(boolean ofsep, ExamCard examCard, boolean contrast, boolean contrastOptional,
                       boolean spine, boolean spineDue, RuleId rule, List<String> reasons, List<String> alerts,
                       ContrastDose contrastDose, Integer nextMriMonths, List<String> optionalSequences,
                       List<ProtocolCode> defaultCodes, Map<Vendor, List<ProtocolCode>> vendorCodes,
                       List<Fact> facts) {

    public Decision {
        java.util.Objects.requireNonNull(rule, "rule");
        facts = facts == null ? List.of() : List.copyOf(facts);
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
        alerts = alerts == null ? List.of() : List.copyOf(alerts);
        optionalSequences = optionalSequences == null ? List.of() : List.copyOf(optionalSequences);
        defaultCodes = defaultCodes == null ? List.of() : List.copyOf(defaultCodes);
        vendorCodes = vendorCodes == null ? Map.of() : Map.copyOf(vendorCodes);
    }

    /** A decision without recorded facts. */
    public Decision(boolean ofsep, ExamCard examCard, boolean contrast, boolean contrastOptional, boolean spine,
                    boolean spineDue, RuleId rule, List<String> reasons, List<String> alerts,
                    ContrastDose contrastDose, Integer nextMriMonths, List<String> optionalSequences,
                    List<ProtocolCode> defaultCodes, Map<Vendor, List<ProtocolCode>> vendorCodes) {
        this(ofsep, examCard, contrast, contrastOptional, spine, spineDue, rule, reasons, alerts, contrastDose,
                nextMriMonths, optionalSequences, defaultCodes, vendorCodes, List.of());
    }

    /** The codes a station of this vendor receives in the Scheduled Protocol Code Sequence, vendor first. */
    public List<ProtocolCode> codesFor(Vendor vendor) {
        List<ProtocolCode> own = vendor == null ? null : vendorCodes.get(vendor);
        if (own == null || own.isEmpty()) {
            return defaultCodes;
        }
        var all = new java.util.ArrayList<ProtocolCode>(own);
        all.addAll(defaultCodes);
        return List.copyOf(all);
    }

    /** A pass-through decision for a non-MS order: the RIS's own procedure code is the protocol code. */
    public static Decision passThrough(ProtocolCode requestedProcedureCode) {
        return passThrough(requestedProcedureCode, List.of());
    }

    /** A pass-through decision that keeps some facts of the order (pregnancy, which any MR exam needs). */
    public static Decision passThrough(ProtocolCode requestedProcedureCode, List<Fact> facts) {
        return new Decision(false, null, false, false, false, false, RuleId.NOT_OFSEP,
                List.of("Not an MS order: the requested procedure code is sent unchanged."), List.of(), null, null,
                List.of(), requestedProcedureCode == null ? List.of() : List.of(requestedProcedureCode), Map.of(),
                facts);
    }

    /** This decision with notes added to its reasons (e.g. that an order text was cut to fit DICOM). */
    public Decision withMoreReasons(List<String> more) {
        List<String> all = new java.util.ArrayList<>(reasons);
        all.addAll(more);
        return new Decision(ofsep, examCard, contrast, contrastOptional, spine, spineDue, rule, all, alerts,
                contrastDose, nextMriMonths, optionalSequences, defaultCodes, vendorCodes, facts);
    }

    /** The facts that name an allergy of the patient: to gadolinium (AL1 or text), another AL1 allergen. */
    public static final java.util.Set<String> ALLERGY_FACTS = java.util.Set.of("gdAllergy", "allergy");

    /** Whether the order says the patient is allergic to gadolinium or a Gd-based agent (AL1 or the text). */
    public boolean gdAllergy() {
        return gdAllergy(facts);
    }

    /** Whether these facts say the patient is allergic to gadolinium or a Gd-based agent. */
    public static boolean gdAllergy(List<Fact> facts) {
        return facts != null && facts.stream().anyMatch(f -> "gdAllergy".equals(f.name()));
    }

    /**
     * The allergens the order names, for Allergies (0010,2110): each AL1 allergen as sent, "gadolinium" when the
     * Gd allergy was read from the text only (an AL1 allergen already says it); once each (case ignored), in the
     * order of the facts.
     */
    public List<String> allergies() {
        boolean al1Gd = facts.stream().anyMatch(f -> "gdAllergy".equals(f.name()) && f.source() != null
                && f.source().startsWith("AL1"));
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Fact f : facts) {
            if (al1Gd && "gdAllergy".equals(f.name()) && (f.source() == null || !f.source().startsWith("AL1"))) {
                continue;
            }
            if (ALLERGY_FACTS.contains(f.name()) && f.value() != null && !f.value().isBlank()) {
                out.putIfAbsent(f.value().strip().toLowerCase(java.util.Locale.ROOT), f.value().strip());
            }
        }
        return List.copyOf(out.values());
    }

    /** The facts that say whether the patient is pregnant: a coded or written pregnancy status, an hCG result. */
    public static final java.util.Set<String> PREGNANCY_FACTS = java.util.Set.of("pregnancy", "hcg");

    /**
     * What a pregnancy or hCG fact says, from the least to the most risky. Every answer but {@link #NOT_PREGNANT}
     * counts as a pregnancy for the decision (Gd waits for a person); the worklist's Pregnancy Status (0010,21C0,
     * PS3.3 C.7.1.4) tells them apart: 0001 not pregnant, 0004 unknown, 0002 possibly, 0003 definitely pregnant.
     */
    public enum Pregnancy {
        /** "no", a negative hCG. */
        NOT_PREGNANT,
        /** A status answered unknown, a test not back yet ("not ruled out"). */
        UNKNOWN,
        /** A pregnancy that cannot be ruled out, suspected ("possible"). */
        POSSIBLE,
        /** A stated pregnancy, a positive hCG ("yes", "positive"). */
        PREGNANT;

        /** The answer of a pregnancy or hCG fact's value; null for a value that gives none. */
        public static Pregnancy of(String factValue) {
            if (factValue == null) {
                return null;
            }
            return switch (factValue.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "yes", "positive" -> PREGNANT;
                case "possible" -> POSSIBLE;
                case "not ruled out" -> UNKNOWN;
                case "no", "negative" -> NOT_PREGNANT;
                default -> null;
            };
        }
    }

    /** What the facts say about pregnancy: the most risky answer among them (never silent), null when none. */
    public Pregnancy pregnancy() {
        Pregnancy answer = null;
        for (Fact f : facts) {
            Pregnancy p = PREGNANCY_FACTS.contains(f.name()) ? Pregnancy.of(f.value()) : null;
            if (p != null && (answer == null || p.compareTo(answer) > 0)) {
                answer = p;
            }
        }
        return answer;
    }
}
