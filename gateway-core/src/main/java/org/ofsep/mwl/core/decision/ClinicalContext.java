package org.ofsep.mwl.core.decision;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ofsep.mwl.core.facts.ClinicalFacts;
import org.ofsep.mwl.core.facts.FactExtractor;
import org.ofsep.mwl.core.mapping.MappingDocument.ObservationCodes;
import org.ofsep.mwl.core.mapping.MappingDocument.Situation;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.order.Observation;
import org.ofsep.mwl.core.order.OrderMessage;
import org.ofsep.mwl.core.order.ProcedureRequest;
import org.ofsep.mwl.core.text.TextMatch;

/**
 * The clinical context of one ordered procedure: the situations from the MS-CONTEXT OBX or, when there is none,
 * from the keyword rules applied to the order's text (OBR-31, OBR-13, NTE, text OBX), and the clinical facts read
 * by {@link FactExtractor} (structured observations first, then the free text), each traced to its source.
 * A value that cannot be read is not guessed: it is left null and a note says so.
 *
 * <p>This record is what the OFSEP rules read ({@link OfsepRules.Input}): other sources of the same facts build
 * one too, and the engine is indifferent to where a fact came from.
 */
public record ClinicalContext(Set<Situation> situations, boolean msContextObx, boolean situationsFromText, String dmt,
                       LocalDate dmtStart, LocalDate priorMri, Boolean priorMri3dFlair, LocalDate lastSpineMri,
                       Boolean jcvPositive, BigDecimal jcvIndex, BigDecimal egfr, Boolean pregnant, Double weightKg,
                       List<String> notes, boolean priorMriMentioned, boolean dmtPmlRisk, boolean dmtStartPlanned,
                       ClinicalFacts facts) {

    static ClinicalContext read(MappingSnapshot m, OrderMessage order, ProcedureRequest procedure, LocalDate ref) {
        return read(m, order, procedure, ref, null);
    }

    /** With the PACS's previous MRIs ({@code pacs}, null when not asked) merged into the facts. */
    static ClinicalContext read(MappingSnapshot m, OrderMessage order, ProcedureRequest procedure, LocalDate ref,
                                org.ofsep.mwl.core.domain.PacsPriors pacs) {
        ObservationCodes c = m.observationCodes();
        List<String> notes = new ArrayList<>();
        Set<Situation> situations = EnumSet.noneOf(Situation.class);
        boolean msContext = false;
        for (Observation o : procedure.observations()) {
            if (o == null || o.code() == null || !is(o, c.msContext(), c.codingSystem())) {
                continue;
            }
            msContext = true;
            String v = o.value() == null ? "" : o.value().trim();
            try {
                situations.add(Situation.valueOf(v.toUpperCase(Locale.ROOT).replace(' ', '_')));
            } catch (IllegalArgumentException e) {
                notes.add("Ignored " + c.msContext() + " value '" + v + "': not a known situation.");
            }
        }
        boolean fromText = false;
        if (situations.isEmpty() && !msContext) {
            String text = TextMatch.normalize(allText(procedure));
            LocalDate written = order != null && order.writtenOn() != null && (ref == null
                    || !order.writtenOn().isAfter(ref)) ? order.writtenOn() : ref;
            int thisYear = written == null ? Integer.MIN_VALUE : written.getYear();
            for (var rule : m.keywordRules()) {
                // a plan can be denied as one ("no plan for switching", "switch declined"): only a new DMT's
                // words; a suspicion of MS qualified as a known disease's ("suspected MS relapse") is no diagnosis
                if (affirmed(rule.any(), text, thisYear, rule.context()) && (rule.with().isEmpty()
                        || affirmed(rule.with(), text, thisYear, rule.context()))) {
                    situations.add(rule.context());
                    fromText = true;
                }
            }
        }
        ClinicalFacts f = FactExtractor.extract(m, order, procedure, ref, pacs);
        notes.addAll(f.notes());
        Double weight = f.weightKg();
        return new ClinicalContext(situations, msContext, fromText, f.treatment(), f.treatmentStart(),
                f.priorBrainMri(), f.priorMri3dFlair(), f.lastSpineMri(), f.jcvPositive(), f.jcvIndex(), f.egfr(),
                f.pregnant(), weight, notes, f.priorBrainMriMentioned(), f.treatmentPmlRisk(),
                f.treatmentStartPlanned(), f);
    }

    /** "pas de poussée", "sans poussée depuis 2 ans", "no relapse", "no new relapse": a situation denied. */
    private static final Pattern NEGATED = Pattern.compile("(?<![\\p{L}])(pas de|pas d'|sans|aucune?|absence de|absence d'"
            + "|ni|jamais de|no|without|not|never|denies|free of)(\\s+(nouvelle|nouveau|nouvelles|nouveaux|new|recent|recente"
            + "|autre|other|further|any|de|d'|signe de|sign of|signs of))*\\s*$");

    /** A denial and one word before the situation: "pas d'infection intercurrente", "no prior relapse". */
    private static final Pattern NEGATED_ONE_WORD = Pattern.compile("(?<![\\p{L}])(?:pas de|pas d'|sans|absence de"
            + "|absence d'|no|without|aucune?)\\s*[\\p{L}-]+\\s+$"); // an intercurrent disease's noun only
    /** No plan of it: "no plan for switching", "pas de projet de changement de traitement". */
    private static final Pattern NO_PLAN = Pattern.compile("(?<![\\p{L}])(?:no plans? (?:for|to)|not planning(?: to| on)?"
            + "|pas de projet de|sans projet de|pas de projet d'|no intention to)\\s*$");
    /**
     * Declined or not planned, not done: "switching not planned", "changement de traitement discuté et refusé",
     * "switching therapy discussed and declined" (within the next three words, the refusal ending the phrase:
     * "switch to Kesimpta as patient refused infusions" is a switch).
     */
    private static final Pattern NOT_DONE_AFTER = Pattern.compile("^(?:\\s+[\\p{L}'-]+){0,3}?\\s+(?:not planned"
            + "|not started|non prevue?|non envisagee?|non retenue?|declined|refused|refusee?"
            + "|abandonnee?|abandoned|reportee?|postponed)\\s*(?:[.,;:!)\\n]|$|by |par )");

    /**
     * A situation denied by the words right after it, as RIS forms and checklists write it: "Poussée : non",
     * "Poussée récente : NON", "Changement de traitement : non", "Suspicion LEMP : non", "Exacerbation ? Non",
     * "relapse-free".
     */
    private static final Pattern NEGATED_AFTER = Pattern.compile("^(?:\\s+[\\p{L}'-]+){0,2}(?:\\s*[:=?]\\s*)+(?:non|no|none|aucune?|neant|absente?"
            + "|neg|negati\\w*|0)\\s*(?:[.,;!)/\\n]|$)|^-?\\s*free(?![\\p{L}])");
    /**
     * A situation dated two calendar years or more before the order, right after it (at most four words between,
     * none of them starting another statement: "poussée, sous Ponvory depuis 2023", "suspicion de LEMP chez patient
     * sous Tysabri depuis 2019", "relapse in a patient diagnosed in 2015" date something else): "diagnostic posé en
     * 2018", "CIS en 2019", "dernière poussée en 2023", "switch from Gilenya to Ocrevus in 2022": history, not the
     * reason for this MRI. Last year is not enough ("poussée en décembre 2025" in a January 2026 order may be
     * this MRI's relapse). A parenthesis may open between ("relais par Ocrevus (introduit en 2021)").
     */
    private static final Pattern DATED_AFTER = Pattern.compile("^(?:[\\s(]+(?!(?:depuis|since|chez|patient|patiente|sous|under"
            + "|on|treated|traite|traitee|evoluant|evolving|diagnosed|diagnostique|diagnostiquee|with|avec|for|pour|a|an|une?"
            + "|depuis)(?![\\p{L}]))[\\p{L}'-]+){0,4}\\s+(?:en|in|le|on|de|of|dated?)\\s+(?:(?:\\d{1,2}|janv\\w*|fevr?\\w*"
            + "|mars|march|avr\\w*|apr\\w*|mai|may|juin|june?|juil\\w*|july?|aout|aug\\w*|sept?\\w*|oct\\w*|nov\\w*|dec\\w*)"
            + "[\\s/.-]+){0,2}((?:19|20)\\d{2})(?![\\d])");

    /** "pas d'argument pour une SEP", "no evidence of MS", "sans élément en faveur d'une SEP": the disease denied. */
    private static final Pattern NO_ARGUMENT_FOR = Pattern.compile("(?<![\\p{L}])(?:pas|aucun|aucune|sans|no|not|without"
            + "|absence)\\s+(?:d'|de\\s+|d\\s+|any\\s+)?(?:argument|arguments|element|elements|evidence|signe|signes|sign|signs"
            + "|critere|criteres|criteria|feature|features)\\s+(?:pour|en faveur d'|en faveur de|de|d'|of|for|suggesting"
            + "|suggestive of)\\s*(?:une?\\s+|la\\s+|an?\\s+)?$");
    /** What may follow the disease when the phrase that denies it ends there: punctuation, the end, a preposition. */
    private static final Pattern PHRASE_ENDS = Pattern.compile("\\s*(?:[.,;:!?)\\n]|$|(?:on|in|at|sur|a|au|aux|dans"
            + "|chez|et|and|ni|or|ou|for|pour|connue?|known|diagnosed|diagnostiquee?|confirmed|confirmee?|retenue?)"
            + "(?![\\p{L}]))");
    /** The form's own answer right after the disease: "SEP : non", "MS? No". */
    private static final Pattern DISEASE_NO_AFTER = Pattern.compile("\\s*[:=?]+\\s*(?:non|no|none|aucune?|neant"
            + "|absente?|neg|negati\\w*)\\s*(?:[.,;!)/\\n]|$)"); // the answer alone: "SEP : non évolutive" is MS
    /** "SEP éliminée", "SEP : exclue", "MS ruled out", "SEP non retenue": the disease denied after its name. */
    private static final Pattern DENIED_AFTER = Pattern.compile("^\\s*(?:[:=]\\s*)?(?:eliminee|exclue|ecartee|non retenue"
            + "|ruled out|excluded|unlikely|peu probable|improbable)(?![\\p{L}])");
    /**
     * An abbreviation spelt out in brackets right after it, word by word: "MS (mitral stenosis)", "SEPs
     * (somatosensory evoked potentials)".
     */
    private static final Pattern SPELT_OUT = Pattern.compile("^\\s*\\(([^()]{3,60})\\)");

    /** The first letters of the words ("mitral stenosis" -> "ms"), small linking words left out. */
    private static String initials(String words) {
        StringBuilder sb = new StringBuilder();
        for (String w : words.trim().split("[\\s-]+")) {
            if (!w.isEmpty() && !List.of("de", "des", "du", "en", "of", "the", "la", "le", "d'").contains(w)) {
                sb.append(w.charAt(0));
            }
        }
        return sb.toString();
    }

    /**
     * Whether the text names the disease (one of the patterns): not denied before it ("pas de SEP", "pas
     * d'argument pour une SEP", "no evidence of MS") or after it ("SEP éliminée", "MS ruled out"), and not an
     * abbreviation that brackets spell out as something else ("MS (mitral stenosis)"). A date after it is no
     * denial: "SEP diagnostiquée en 2015" is MS.
     */
    static boolean namesDisease(List<Pattern> patterns, String normalizedText) {
        for (Pattern p : patterns) {
            Matcher mt = p.matcher(normalizedText);
            while (mt.find()) {
                String before = normalizedText.substring(Math.max(0, mt.start() - 50), mt.start());
                String after = normalizedText.substring(mt.end(), Math.min(normalizedText.length(), mt.end() + 80));
                // denied before it only when the phrase ends with the disease ("pas de SEP.", "no evidence of MS on
                // the last MRI"), not when it names something of it ("no new MS lesions", "no evidence of MS
                // activity", "pas de SEP évolutive"); denied after it only by the form's own answer ("SEP : non"),
                // not by the next line of a checklist ("Suivi SEP" then "Grossesse : non" made an MS order no MS order)
                boolean phraseEnds = PHRASE_ENDS.matcher(after).lookingAt();
                if (phraseEnds && (NEGATED.matcher(before).find() || NO_ARGUMENT_FOR.matcher(before).find())
                        || DISEASE_NO_AFTER.matcher(after).lookingAt() || DENIED_AFTER.matcher(after).find()) {
                    continue;
                }
                Matcher spelt = SPELT_OUT.matcher(after);
                if (spelt.find() && initials(spelt.group(1)).equals(mt.group().replaceAll("[^a-z]", ""))
                        && patterns.stream().noneMatch(q -> q.matcher(spelt.group(1)).find())) {
                    continue; // "ms (mitral stenosis)"; not "ms (sensory myelitis)", a detail of MS
                }
                return true;
            }
        }
        return false;
    }

    /**
     * What makes a suspicion of MS no diagnosis: a word that qualifies a known disease right after it ("suspected MS
     * relapse", "suspicion de SEP secondairement progressive", "MS-related fatigue"), or a work-up done elsewhere.
     */
    private static final Pattern KNOWN_DISEASE_AFTER = Pattern.compile("^[\\s-]*(?:relapse|poussee|related|associated"
            + "|progressive|secondairement|activity|activite|fatigue|flare|exacerbation|pseudo|at another|elsewhere"
            + "|ailleurs|dans un autre|in another)(?![\\p{L}])");

    /**
     * Whether one of the patterns occurs in the text and is not denied by the words right before or after it (for
     * {@code context}: a plan declined for a new DMT, a known disease's word after a suspicion of MS, one word
     * between a denial and an intercurrent disease), nor dated two years or more before {@code thisYear} (the year
     * the order was written).
     */
    private static boolean affirmed(List<Pattern> patterns, String normalizedText, int thisYear, Situation context) {
        boolean plan = context == Situation.NEW_DMT;
        for (Pattern p : patterns) {
            Matcher mt = p.matcher(normalizedText);
            while (mt.find()) {
                String before = normalizedText.substring(Math.max(0, mt.start() - 40), mt.start());
                String after = normalizedText.substring(mt.end(), Math.min(normalizedText.length(), mt.end() + 80));
                if (NEGATED.matcher(before).find() || NEGATED_AFTER.matcher(after).find()
                        || context == Situation.INTERCURRENT && NEGATED_ONE_WORD.matcher(before).find()
                        || context == Situation.DIAGNOSIS && KNOWN_DISEASE_AFTER.matcher(after).lookingAt()
                        || plan && (NO_PLAN.matcher(before).find() || NOT_DONE_AFTER.matcher(after).lookingAt())) {
                    continue;
                }
                Matcher dated = DATED_AFTER.matcher(after);
                if (dated.find() && Integer.parseInt(dated.group(1)) < thisYear - 1) {
                    continue;
                }
                return true;
            }
        }
        return false;
    }

    /**
     * The free text of the order: OBR-31, OBR-13, the NTE comments and the text OBX, each ended by " ; " (the
     * normal form folds line breaks into spaces: a form's "Poussée : non" at the end of OBR-31 would run into
     * OBR-13's first words).
     */
    static String allText(ProcedureRequest procedure) {
        StringBuilder sb = new StringBuilder();
        sb.append(procedure.reason() == null ? "" : procedure.reason()).append(FIELD_END);
        sb.append(procedure.clinicalInfo() == null ? "" : procedure.clinicalInfo()).append(FIELD_END);
        for (String nte : procedure.comments()) {
            sb.append(nte).append(FIELD_END);
        }
        for (Observation o : procedure.observations()) {
            if (o != null && o.value() != null && o.valueType() != null
                    && List.of("TX", "FT", "ST").contains(o.valueType().trim().toUpperCase(Locale.ROOT))) {
                sb.append(o.value()).append(FIELD_END);
            }
        }
        return sb.toString();
    }

    private static final String FIELD_END = " ; ";

    static String join(String a, String b) {
        return (a == null ? "" : a) + " \n " + (b == null ? "" : b);
    }

    private static boolean is(Observation o, String code, String system) {
        if (code != null && !o.code().trim().equalsIgnoreCase(code.trim())) {
            return false;
        }
        // an OBX without OBX-3.3 still counts: many RIS leave the coding system out
        return o.system() == null || o.system().isBlank() || system == null
                || o.system().trim().equalsIgnoreCase(system.trim());
    }
}
