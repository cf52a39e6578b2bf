package org.ofsep.mwl.core.mapping;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.ofsep.mwl.core.decision.policy.DosePolicy;
import org.ofsep.mwl.core.domain.Vendor;
import org.ofsep.mwl.core.mapping.MappingDocument.CardName;
import org.ofsep.mwl.core.mapping.MappingDocument.Code;
import org.ofsep.mwl.core.mapping.MappingDocument.ExamCardEntry;
import org.ofsep.mwl.core.mapping.MappingDocument.Sequence;
import org.ofsep.mwl.core.text.TextMatch;

/**
 * Checks the meaning of a bound mapping document and collects every error (not just the first), each with
 * the field path and its line, so an admin can fix a file in one pass.
 */
final class MappingValidator {

    /** DICOM AE title: at most 16 characters of the default repertoire, no backslash, no control character. */
    private static final Pattern AE_TITLE = Pattern.compile("[\\x20-\\x5B\\x5D-\\x7E]{1,16}");
    private static final Pattern HL7_FIELD = Pattern.compile("[A-Z][A-Z0-9]{2}-\\d{1,3}(\\.\\d{1,3}){0,2}");
    private static final Pattern ORDER_CONTROL_KEY = Pattern.compile("[A-Z]{2}_([A-Z]{2})?");
    /** Value representations of the Code Sequence attributes (PS3.3 8.8): SH 16 for value and scheme, LO 64. */
    static final int CODE_VALUE_MAX = 16;
    static final int CODE_SCHEME_MAX = 16;
    static final int CODE_MEANING_MAX = 64;
    /** A station's name is its Scheduled Station Name (0040,0010) in the worklist: SH, 16 characters. */
    static final int STATION_NAME_MAX = 16;

    private final MappingDocument doc;
    private final MappingLoader.Locator at;
    private final List<MappingError> errors = new ArrayList<>();

    MappingValidator(MappingDocument doc, MappingLoader.Locator locator) {
        this.doc = doc;
        this.at = locator;
    }

    List<MappingError> validate() {
        Set<String> aeTitles = stations();
        stationRules(aeTitles);
        orderControl();
        msOrders();
        procedureRegions();
        observations();
        keywordRules();
        examCards();
        rules();
        policies();
        protocolCodes();
        standardObservations();
        treatments();
        clinicalText();
        priors();
        review();
        return errors;
    }

    private void error(String path, String message) {
        errors.add(at.error(path, message));
    }

    private boolean present(Object value, String path) {
        if (value == null) {
            error(path, "is missing");
            return false;
        }
        return true;
    }

    private boolean text(String value, String path) {
        if (value == null || value.isBlank()) {
            error(path, value == null ? "is missing" : "must not be empty");
            return false;
        }
        return true;
    }

    private void positive(Number value, String path) {
        if (present(value, path) && new BigDecimal(value.toString()).signum() <= 0) {
            error(path, "must be greater than 0 (is " + value + ")");
        }
    }

    /**
     * A clinical setting within the range a site may choose; outside it, a typo that would reach every patient
     * ({@code doseMmolPerKg: 1}, ten times the OFSEP dose) is refused instead of published.
     */
    private void within(Number value, String path, String min, String max, String why) {
        if (value == null) {
            return;
        }
        BigDecimal v = new BigDecimal(value.toString());
        if (v.signum() > 0 && (v.compareTo(new BigDecimal(min)) < 0 || v.compareTo(new BigDecimal(max)) > 0)) {
            error(path, "must be from " + min + " to " + max + " (is " + value + "): " + why);
        }
    }

    private Set<String> stations() {
        Set<String> seen = new HashSet<>();
        if (!present(doc.stations(), "stations")) {
            return seen;
        }
        if (doc.stations().isEmpty()) {
            error("stations", "at least one station is required");
        }
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < doc.stations().size(); i++) {
            var s = doc.stations().get(i);
            String p = "stations[" + i + "]";
            if (s == null) {
                error(p, "is empty");
                continue;
            }
            if (text(s.name(), p + ".name")) {
                // the name is the worklist's Scheduled Station Name (0040,0010), SH: refused rather than cut
                String name = s.name().trim();
                if (name.codePointCount(0, name.length()) > STATION_NAME_MAX) {
                    error(p + ".name", "'" + name + "' is " + name.codePointCount(0, name.length())
                            + " characters; it is the Scheduled Station Name (0040,0010), DICOM allows 16 (SH)");
                } else if (name.indexOf('\\') >= 0 || name.chars().anyMatch(ch -> ch < 0x20)) {
                    error(p + ".name", "must not contain a backslash or control characters (Scheduled Station Name, SH)");
                }
            }
            if (text(s.aeTitle(), p + ".aeTitle")) {
                String ae = s.aeTitle().trim();
                if (ae.length() > 16) {
                    error(p + ".aeTitle", "AE title '" + ae + "' is longer than 16 characters");
                } else if (!AE_TITLE.matcher(ae).matches()) {
                    error(p + ".aeTitle", "AE title '" + ae + "' has characters DICOM does not allow (backslash or control)");
                }
                Integer dup = first.putIfAbsent(ae, i);
                if (dup != null) {
                    error(p + ".aeTitle", "duplicate AE title '" + ae + "' (also stations[" + dup + "])");
                }
                seen.add(ae);
            }
            present(s.vendor(), p + ".vendor");
            positive(s.fieldStrengthTesla(), p + ".fieldStrengthTesla");
            within(s.fieldStrengthTesla(), p + ".fieldStrengthTesla", "0.1", "11.7",
                    "a magnet's field in tesla (1.5, 3.0); 70 is a typing slip");
            if (s.modality() != null && s.modality().isBlank()) {
                error(p + ".modality", "must not be empty (leave it out for MR)");
            }
        }
        return seen;
    }

    private void stationRules(Set<String> aeTitles) {
        var sr = doc.stationRules();
        if (sr == null) {
            return;
        }
        if (sr.rules() != null) {
            for (int i = 0; i < sr.rules().size(); i++) {
                var r = sr.rules().get(i);
                String p = "stationRules.rules[" + i + "]";
                if (r == null) {
                    error(p, "is empty");
                    continue;
                }
                if (text(r.field(), p + ".field") && !HL7_FIELD.matcher(r.field()).matches()) {
                    error(p + ".field", "'" + r.field() + "' is not an HL7 field key like OBR-21 or PV1-3");
                }
                present(r.value(), p + ".equals");
                if (text(r.station(), p + ".station") && !aeTitles.contains(r.station().trim())) {
                    error(p + ".station", "unknown station '" + r.station() + "' (not an aeTitle in stations)");
                }
            }
        }
        if (sr.defaultStation() != null && !aeTitles.contains(sr.defaultStation().trim())) {
            error("stationRules.default", "unknown station '" + sr.defaultStation() + "' (not an aeTitle in stations)");
        }
    }

    private void orderControl() {
        if (!present(doc.orderControl(), "orderControl")) {
            return;
        }
        doc.orderControl().forEach((key, action) -> {
            String p = "orderControl." + key;
            if (!ORDER_CONTROL_KEY.matcher(key).matches()) {
                error(p, "'" + key + "' is not ORC-1_ORC-5 (e.g. NW_SC; write NW_ for an empty ORC-5)");
            }
            present(action, p);
        });
    }

    private void msOrders() {
        var ms = doc.msOrders();
        if (!present(ms, "msOrders")) {
            return;
        }
        blanks(ms.procedureCodes(), "msOrders.procedureCodes");
        blanks(ms.diagnosisCodes(), "msOrders.diagnosisCodes");
        blanks(ms.keywords(), "msOrders.keywords");
        blanks(ms.modalities(), "msOrders.modalities");
    }

    private void blanks(List<String> list, String path) {
        if (list == null) {
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            text(list.get(i), path + "[" + i + "]");
        }
    }

    private void procedureRegions() {
        var pr = doc.procedureRegions();
        if (!present(pr, "procedureRegions")) {
            return;
        }
        present(pr.defaultRegion(), "procedureRegions.defaultRegion");
        if (pr.codes() != null) {
            pr.codes().forEach((code, region) -> present(region, "procedureRegions.codes." + code));
        }
    }

    private void observations() {
        var o = doc.observations();
        if (!present(o, "observations")) {
            return;
        }
        String p = "observations.";
        text(o.codingSystem(), p + "codingSystem");
        text(o.msContext(), p + "msContext");
        text(o.dmt(), p + "dmt");
        text(o.dmtStart(), p + "dmtStart");
        text(o.priorMri(), p + "priorMri");
        text(o.priorMri3dFlair(), p + "priorMri3dFlair");
        text(o.lastSpineMri(), p + "lastSpineMri");
        text(o.jcvStatus(), p + "jcvStatus");
        text(o.jcvIndex(), p + "jcvIndex");
        text(o.egfr(), p + "egfr");
        text(o.pregnant(), p + "pregnant");
        if (present(o.weight(), p + "weight")) {
            text(o.weight().code(), p + "weight.code");
        }
    }

    private void keywordRules() {
        if (doc.keywordRules() == null) {
            return;
        }
        for (int i = 0; i < doc.keywordRules().size(); i++) {
            var k = doc.keywordRules().get(i);
            String p = "keywordRules[" + i + "]";
            if (k == null) {
                error(p, "is empty");
                continue;
            }
            present(k.context(), p + ".context");
            if (k.any() == null || k.any().isEmpty()) {
                error(p + ".any", "at least one keyword is required");
            } else {
                blanks(k.any(), p + ".any");
            }
            blanks(k.with(), p + ".with");
        }
    }

    private void examCards() {
        if (!present(doc.examCards(), "examCards")) {
            return;
        }
        for (CardName card : CardName.values()) {
            ExamCardEntry e = doc.examCards().get(card);
            String p = "examCards." + card;
            if (e == null) {
                error(doc.examCards().containsKey(card) ? p : "examCards", "missing card " + card);
                continue;
            }
            positive(e.budgetMinutes(), p + ".budgetMinutes");
            if (e.sequences() == null || e.sequences().isEmpty()) {
                error(p + ".sequences", "a card needs at least one sequence");
                continue;
            }
            BigDecimal required = BigDecimal.ZERO;
            Set<String> names = new HashSet<>();
            for (int i = 0; i < e.sequences().size(); i++) {
                Sequence s = e.sequences().get(i);
                String sp = p + ".sequences[" + i + "]";
                if (s == null) {
                    error(sp, "is empty");
                    continue;
                }
                if (text(s.name(), sp + ".name") && !names.add(s.name())) {
                    error(sp + ".name", "duplicate sequence '" + s.name() + "' in card " + card);
                }
                positive(s.minutes(), sp + ".minutes");
                if (s.minutes() != null && !Boolean.TRUE.equals(s.optional())) {
                    required = required.add(s.minutes());
                }
            }
            if (e.budgetMinutes() != null && required.compareTo(BigDecimal.valueOf(e.budgetMinutes())) > 0) {
                error(p + ".budgetMinutes", "the required sequences of " + card + " take " + required.stripTrailingZeros()
                        .toPlainString() + " min, over its time budget of " + e.budgetMinutes() + " min");
            }
        }
    }

    private boolean hasOptionalSequence(CardName card, String name) {
        ExamCardEntry e = doc.examCards() == null ? null : doc.examCards().get(card);
        return e != null && e.sequences() != null && e.sequences().stream()
                .anyMatch(s -> s != null && name.equals(s.name()) && Boolean.TRUE.equals(s.optional()));
    }

    private void sequenceRefs(List<String> names, CardName card, String path) {
        if (names == null) {
            return;
        }
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (text(n, path + "[" + i + "]") && !hasOptionalSequence(card, n)) {
                error(path + "[" + i + "]", "'" + n + "' is not an optional sequence of examCards." + card);
            }
        }
    }

    /** The settings of the rule table, each under its rule id. */
    private void rules() {
        var r = doc.rules();
        if (!present(r, "rules")) {
            return;
        }
        if (r.diagnosis() != null) {
            sequenceRefs(r.diagnosis().suggestedSequences(), CardName.FULL, "rules.DIAGNOSIS.suggestedSequences");
            interval(r.diagnosis().nextMriMonths(), "rules.DIAGNOSIS");
        }
        if (r.noComparablePrior() != null) {
            interval(r.noComparablePrior().nextMriMonths(), "rules.NO_COMPARABLE_PRIOR");
        }
        if (present(r.newDmt(), "rules.NEW_DMT")) {
            nonNegative(r.newDmt().daysBefore(), "rules.NEW_DMT.daysBefore");
            nonNegative(r.newDmt().daysAfter(), "rules.NEW_DMT.daysAfter");
            interval(r.newDmt().nextMriMonths(), "rules.NEW_DMT");
        }
        if (present(r.rebaseline(), "rules.REBASELINE")) {
            positive(r.rebaseline().fromMonths(), "rules.REBASELINE.fromMonths");
            positive(r.rebaseline().toMonths(), "rules.REBASELINE.toMonths");
            if (r.rebaseline().fromMonths() != null && r.rebaseline().toMonths() != null
                    && r.rebaseline().fromMonths() > r.rebaseline().toMonths()) {
                error("rules.REBASELINE.toMonths", "must not be less than fromMonths");
            }
            interval(r.rebaseline().nextMriMonths(), "rules.REBASELINE");
        }
        if (r.relapse() != null) {
            interval(r.relapse().nextMriMonths(), "rules.RELAPSE");
        }
        if (r.pmlSuspicion() != null) {
            sequenceRefs(r.pmlSuspicion().addSequences(), CardName.FULL, "rules.PML_SUSPICION.addSequences");
            interval(r.pmlSuspicion().nextMriMonths(), "rules.PML_SUSPICION");
        }
        if (r.intercurrent() != null) {
            interval(r.intercurrent().nextMriMonths(), "rules.INTERCURRENT");
        }
        var pml = r.pmlScreening();
        if (present(pml, "rules.PML_SCREENING")) {
            String p = "rules.PML_SCREENING.";
            present(pml.highRiskDmts(), p + "highRiskDmts");
            blanks(pml.highRiskDmts(), p + "highRiskDmts");
            positive(pml.minMonthsOnDmt(), p + "minMonthsOnDmt");
            positive(pml.jcvPositivityCutoff(), p + "jcvPositivityCutoff");
            within(pml.jcvPositivityCutoff(), p + "jcvPositivityCutoff", "0.1", "1.5",
                    "an anti-JCV antibody index (0.40 with the usual assay), not a percentage: above it an index"
                            + " alone makes the patient JCV positive");
            positive(pml.highIndexThreshold(), p + "highIndexThreshold");
            within(pml.highIndexThreshold(), p + "highIndexThreshold", "0.5", "5",
                    "an anti-JCV antibody index (OFSEP 2020: 1.5)");
            positive(pml.intervalMonthsHighIndex(), p + "intervalMonthsHighIndex");
            positive(pml.intervalMonthsOtherwise(), p + "intervalMonthsOtherwise");
            sequenceRefs(pml.suggestedSequences(), CardName.PML_SHORT, p + "suggestedSequences");
            if (pml.nextMriMonths() != null) {
                error(p + "nextMriMonths", "the PML screening interval is set by intervalMonthsHighIndex and"
                        + " intervalMonthsOtherwise (by JCV index band)");
            }
        }
        if (r.routineFollowUp() != null) {
            interval(r.routineFollowUp().nextMriMonths(), "rules.ROUTINE_FOLLOW_UP");
        }
    }

    private void interval(Integer months, String rulePath) {
        if (months != null) {
            positive(months, rulePath + ".nextMriMonths");
        }
    }

    /** Optional: each concept lists its codes (unique across concepts) and its units (the default one among them). */
    private void standardObservations() {
        var so = doc.standardObservations();
        if (so == null) {
            return;
        }
        Map<String, String> seen = new HashMap<>();
        concept(so.weight(), "standardObservations.weight", seen);
        concept(so.egfr(), "standardObservations.egfr", seen);
        concept(so.creatinine(), "standardObservations.creatinine", seen);
        concept(so.pregnancy(), "standardObservations.pregnancy", seen);
        concept(so.hcg(), "standardObservations.hcg", seen);
        if (so.hcg() != null && so.hcg().positiveAtOrAbove() != null) {
            positive(so.hcg().positiveAtOrAbove(), "standardObservations.hcg.positiveAtOrAbove");
        }
    }

    private void concept(MappingDocument.ObservationConcept c, String p, Map<String, String> seen) {
        if (c == null) {
            return;
        }
        if (c.codes() == null || c.codes().isEmpty()) {
            error(p + ".codes", "at least one code is required");
        } else {
            for (int i = 0; i < c.codes().size(); i++) {
                var code = c.codes().get(i);
                String cp = p + ".codes[" + i + "]";
                if (code == null) {
                    error(cp, "is empty");
                    continue;
                }
                if (text(code.code(), cp + ".code")) {
                    String key = code.code().trim().toUpperCase(Locale.ROOT) + "^"
                            + (code.codingSystem() == null ? "" : code.codingSystem().trim().toUpperCase(Locale.ROOT));
                    String dup = seen.putIfAbsent(key, cp);
                    if (dup != null) {
                        error(cp + ".code", "code " + code.code().trim() + " is already listed at " + dup
                                + ": one code means one concept");
                    }
                }
            }
        }
        Set<String> units = new HashSet<>();
        if (c.units() != null) {
            for (int i = 0; i < c.units().size(); i++) {
                var u = c.units().get(i);
                String up = p + ".units[" + i + "]";
                if (u == null) {
                    error(up, "is empty");
                    continue;
                }
                if (text(u.unit(), up + ".unit") && !units.add(unitKey(u.unit()))) {
                    error(up + ".unit", "duplicate unit '" + u.unit() + "'");
                }
                if (u.multiplyBy() != null) {
                    positive(u.multiplyBy(), up + ".multiplyBy");
                }
                if (u.divideBy() != null) {
                    positive(u.divideBy(), up + ".divideBy");
                }
            }
        }
        if (c.defaultUnit() != null && !units.contains(unitKey(c.defaultUnit()))) {
            error(p + ".defaultUnit", "'" + c.defaultUnit() + "' is not one of the units listed");
        }
    }

    private static String unitKey(String unit) {
        return TextMatch.normalize(unit).replace(" ", "").replace('\u00B5', 'u').replace('\u03BC', 'u');
    }

    /** Optional: generic names and the names people write, each name belonging to one treatment only. */
    private void treatments() {
        if (doc.treatments() == null) {
            return;
        }
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < doc.treatments().size(); i++) {
            var t = doc.treatments().get(i);
            String p = "treatments[" + i + "]";
            if (t == null) {
                error(p, "is empty");
                continue;
            }
            List<String> all = new ArrayList<>();
            if (text(t.generic(), p + ".generic")) {
                all.add(t.generic());
            }
            blanks(t.names(), p + ".names");
            if (t.names() != null) {
                t.names().stream().filter(n -> n != null && !n.isBlank()).forEach(all::add);
            }
            for (String n : all) {
                String dup = seen.putIfAbsent(TextMatch.normalize(n), p);
                if (dup != null && !dup.equals(p)) {
                    error(p + ".names", "'" + n + "' is also a name of " + dup + ": one name means one treatment");
                }
            }
        }
    }

    private void clinicalText() {
        var c = doc.clinicalText();
        if (c == null) {
            return;
        }
        blanks(c.priorMri3dFlairYes(), "clinicalText.priorMri3dFlairYes");
        blanks(c.priorMri3dFlairNo(), "clinicalText.priorMri3dFlairNo");
        blanks(c.pregnancyYes(), "clinicalText.pregnancyYes");
        blanks(c.pregnancyNo(), "clinicalText.pregnancyNo");
        blanks(c.gdAllergyYes(), "clinicalText.gdAllergyYes");
        blanks(c.gdAllergyNo(), "clinicalText.gdAllergyNo");
    }

    private void nonNegative(Integer value, String path) {
        if (present(value, path) && value < 0) {
            error(path, "must not be negative (is " + value + ")");
        }
    }

    /** The policies beside the rule table. */
    private void policies() {
        var p = doc.policies();
        if (!present(p, "policies")) {
            return;
        }
        if (present(p.fieldStrength(), "policies.fieldStrength")) {
            positive(p.fieldStrength().minimumTesla(), "policies.fieldStrength.minimumTesla");
            within(p.fieldStrength().minimumTesla(), "policies.fieldStrength.minimumTesla", "1.0", "7.0",
                    "OFSEP 2020 asks for at least 1.5 T");
        }
        if (present(p.spine(), "policies.spine")) {
            positive(p.spine().intervalYears(), "policies.spine.intervalYears");
        }
        if (present(p.safetyAlerts(), "policies.safetyAlerts")) {
            positive(p.safetyAlerts().egfrBelow(), "policies.safetyAlerts.egfrBelow");
            within(p.safetyAlerts().egfrBelow(), "policies.safetyAlerts.egfrBelow", "15", "90",
                    "an eGFR threshold in mL/min/1.73 m2 (30: severe renal impairment)");
        }
        dose(p.dose());
    }

    private void dose(MappingDocument.Dose c) {
        if (!present(c, "policies.dose")) {
            return;
        }
        String base = "policies.dose.";
        positive(c.doseMmolPerKg(), base + "doseMmolPerKg");
        within(c.doseMmolPerKg(), base + "doseMmolPerKg", "0.025", "0.1",
                "OFSEP 2020 gives 0.1 mmol/kg, the standard dose; a reduced dose of a high-relaxivity agent is lower");
        Set<String> names = new HashSet<>();
        if (c.agents() == null || c.agents().isEmpty()) {
            error(base + "agents", "at least one macrocyclic agent is required");
        } else {
            for (int i = 0; i < c.agents().size(); i++) {
                var a = c.agents().get(i);
                String p = base + "agents[" + i + "]";
                if (a == null) {
                    error(p, "is empty");
                    continue;
                }
                if (text(a.name(), p + ".name")) {
                    if (!names.add(a.name().trim())) {
                        error(p + ".name", "duplicate agent '" + a.name() + "'");
                    }
                    // macrocyclic only: the dose policy knows the agents
                    DosePolicy.agentProblem(a.name(), a.concentrationMmolPerMl())
                            .ifPresent(problem -> error(p + "." + problem.key(), problem.message()));
                }
                positive(a.concentrationMmolPerMl(), p + ".concentrationMmolPerMl");
            }
        }
        if (text(c.selectedAgent(), base + "selectedAgent") && !names.contains(c.selectedAgent().trim())) {
            error(base + "selectedAgent", "'" + c.selectedAgent() + "' is not one of policies.dose.agents");
        }
    }

    private void protocolCodes() {
        if (!present(doc.protocolCodes(), "protocolCodes")) {
            return;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < doc.protocolCodes().size(); i++) {
            var e = doc.protocolCodes().get(i);
            String p = "protocolCodes[" + i + "]";
            if (e == null) {
                error(p, "is empty");
                continue;
            }
            boolean ok = present(e.card(), p + ".card") & present(e.contrast(), p + ".contrast");
            if (ok) {
                String key = key(e.card(), e.contrast());
                Integer dup = seen.putIfAbsent(key, i);
                if (dup != null) {
                    error(p, "duplicate protocol code for " + key + " (also protocolCodes[" + dup + "])");
                }
                if (e.contrast() && (e.card() == CardName.ROUTINE || e.card() == CardName.PML_SHORT)) {
                    error(p + ".contrast", e.card() + " is never injected (OFSEP 2020)");
                }
            }
            if (present(e.code(), p + ".code")) {
                code(e.code(), p + ".code");
            }
            if (e.vendors() != null) {
                for (Map.Entry<Vendor, Code> v : e.vendors().entrySet()) {
                    String vp = p + ".vendors." + v.getKey();
                    if (present(v.getValue(), vp)) {
                        code(v.getValue(), vp);
                    }
                }
            }
        }
        for (String needed : List.of("FULL with contrast", "FULL without contrast", "ROUTINE without contrast",
                "PML_SHORT without contrast", "SPINE with contrast", "SPINE without contrast")) {
            if (!seen.containsKey(needed)) {
                error("protocolCodes", "missing protocol code for " + needed);
            }
        }
    }

    static String key(CardName card, boolean contrast) {
        return card + (contrast ? " with contrast" : " without contrast");
    }

    private void code(Code c, String p) {
        if (text(c.value(), p + ".value")) {
            dicomText(c.value(), CODE_VALUE_MAX, p + ".value", "code value");
        }
        if (text(c.scheme(), p + ".scheme")) {
            dicomText(c.scheme(), CODE_SCHEME_MAX, p + ".scheme", "coding scheme designator");
        }
        if (text(c.meaning(), p + ".meaning")) {
            dicomText(c.meaning(), CODE_MEANING_MAX, p + ".meaning", "code meaning");
        }
    }

    private void dicomText(String value, int max, String path, String what) {
        if (value.length() > max) {
            error(path, what + " '" + value + "' is " + value.length() + " characters, DICOM allows " + max);
        }
        if (value.indexOf('\\') >= 0 || value.chars().anyMatch(ch -> ch < 0x20)) {
            error(path, what + " must not contain a backslash or control characters");
        }
    }

    /** The optional {@code priors:} section: at least one way to recognise a brain study and a 3D FLAIR. */
    private void priors() {
        MappingDocument.Priors p = doc.priors();
        if (p == null) {
            return;
        }
        if (present(p.brain(), "priors.brain")) {
            studyPatterns(p.brain(), "priors.brain");
        }
        if (p.spine() != null) {
            studyPatterns(p.spine(), "priors.spine");
        }
        if (present(p.flair3d(), "priors.flair3d")) {
            boolean any = false;
            if (p.flair3d().vendors() != null) {
                for (var e : p.flair3d().vendors().entrySet()) {
                    any |= patternList(e.getValue(), "priors.flair3d.vendors." + e.getKey());
                }
            }
            any |= patternList(p.flair3d().flairWithMrAcquisitionType3d(), "priors.flair3d.flairWithMrAcquisitionType3d");
            if (!any) {
                error("priors.flair3d", "needs at least one vendor pattern or flairWithMrAcquisitionType3d word:"
                        + " without them no prior can ever count as comparable");
            }
        }
    }

    private void studyPatterns(MappingDocument.PriorStudyPatterns s, String path) {
        boolean any = patternList(s.bodyParts(), path + ".bodyParts");
        any |= patternList(s.descriptions(), path + ".descriptions");
        any |= patternList(s.procedureCodes(), path + ".procedureCodes");
        if (!any) {
            error(path, "needs at least one of bodyParts, descriptions, procedureCodes");
        }
        if (s.bodyParts() != null) {
            for (int i = 0; i < s.bodyParts().size(); i++) {
                String b = s.bodyParts().get(i);
                // Body Part Examined is CS: 16 characters of upper case, digits, space and underscore
                if (b != null && !b.isBlank() && !b.trim().toUpperCase(java.util.Locale.ROOT).matches("[A-Z0-9_ ]{1,16}")) {
                    error(path + ".bodyParts[" + i + "]", "'" + b + "' is not a Body Part Examined value (CS, at most 16"
                            + " characters A-Z, 0-9, space, underscore)");
                }
            }
        }
    }

    /** True when the list has at least one entry; blank entries are errors. */
    private boolean patternList(List<String> list, String path) {
        if (list == null) {
            return false;
        }
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null || list.get(i).isBlank()) {
                error(path + "[" + i + "]", "must not be empty");
            }
        }
        return !list.isEmpty();
    }

    /** The longest card text {@code {card}} can stand for in the awaiting description. */
    static final String LONGEST_CARD_TEXT = "PML SHORT + MOELLE";

    private void review() {
        MappingDocument.Review r = doc.review();
        if (r == null) {
            return;
        }
        if (r.when() != null) {
            for (int i = 0; i < r.when().size(); i++) {
                present(r.when().get(i), "review.when[" + i + "]");
            }
        }
        if (r.awaitingDescription() != null && text(r.awaitingDescription(), "review.awaitingDescription")) {
            String longest = r.awaitingDescription().trim().replace("{card}", LONGEST_CARD_TEXT);
            if (longest.length() > 64) {
                error("review.awaitingDescription", "'" + longest + "' is " + longest.length()
                        + " characters with the longest card, DICOM allows 64 (Scheduled Procedure Step Description, LO)");
            }
            if (longest.indexOf('\\') >= 0 || longest.chars().anyMatch(ch -> ch < 0x20)) {
                error("review.awaitingDescription", "must not contain a backslash or control characters");
            }
        }
    }
}
