package org.ofsep.mwl.core.priors;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Classifies the studies a PACS returned with the {@code priors:} rules of the mapping. Pure. */
public final class PriorClassifier {

    private PriorClassifier() {
    }

    /**
     * @param studies what the PACS returned (any order); studies dated after {@code reference} are left out (a
     *                study of the exam being ordered is not its own prior)
     * @param excludeStudyUid the Study Instance UID of the ordered exam, never its own prior; may be null
     */
    public static PriorFindings classify(PriorRules rules, List<PriorStudy> studies, LocalDate reference,
                                         String excludeStudyUid) {
        List<PriorFindings.Classified> out = new ArrayList<>();
        for (PriorStudy s : studies) {
            if (s == null || s.effectiveDate() == null) {
                continue; // an undated study cannot be placed in time: never a prior
            }
            if (reference != null && s.effectiveDate().isAfter(reference)) {
                continue;
            }
            if (excludeStudyUid != null && excludeStudyUid.equals(s.studyInstanceUid())) {
                continue;
            }
            out.add(classify(rules, s));
        }
        out.sort(Comparator.comparing(PriorFindings.Classified::date).reversed());
        PriorFindings.Classified lastBrain = out.stream().filter(PriorFindings.Classified::brain).findFirst().orElse(null);
        PriorFindings.Classified lastComparable = out.stream().filter(c -> c.brain() && c.flair3d() != null)
                .findFirst().orElse(null);
        PriorFindings.Classified lastSpine = out.stream().filter(PriorFindings.Classified::spine).findFirst().orElse(null);
        return new PriorFindings(List.copyOf(out), lastBrain, lastComparable, lastSpine);
    }

    public static PriorFindings.Classified classify(PriorRules rules, PriorStudy s) {
        String brainWhy = why(rules.brain(), s);
        String spineWhy = why(rules.spine(), s);
        PriorSeries flair = null;
        String flairWhy = null;
        String lowField = null;
        if (brainWhy != null) {
            for (PriorSeries se : s.series()) {
                String w = flairWhy(rules, se);
                if (w == null) {
                    continue;
                }
                if (belowMinimum(rules, se)) {
                    // not the standardized protocol (OFSEP 2020: at least 1.5 T): never the comparable prior
                    lowField = "3D FLAIR series '" + se.label() + "' acquired at "
                            + java.math.BigDecimal.valueOf(se.fieldStrengthTesla()).stripTrailingZeros().toPlainString()
                            + " T, below " + rules.minimumTesla().stripTrailingZeros().toPlainString() + " T";
                    continue;
                }
                flair = se;
                flairWhy = w;
                break;
            }
        }
        return new PriorFindings.Classified(s, brainWhy != null, spineWhy != null, flair, flairWhy, brainWhy, spineWhy,
                flair == null ? lowField : null);
    }

    /** Why the study matches these patterns (body part, description or procedure code), or null. */
    static String why(PriorRules.StudyPatterns p, PriorStudy s) {
        for (PriorSeries se : s.series()) {
            if (se.bodyPart() != null && p.bodyParts().contains(se.bodyPart().trim().toUpperCase(Locale.ROOT))) {
                return "Body Part Examined " + se.bodyPart().trim();
            }
        }
        if (s.description() != null) {
            String folded = PriorRules.fold(s.description());
            for (Pattern pt : p.descriptions()) {
                if (pt.matcher(folded).find()) {
                    return "study description '" + s.description().trim() + "'";
                }
            }
        }
        for (String code : s.procedureCodes()) {
            if (code != null && p.procedureCodes().contains(code.trim().toUpperCase(Locale.ROOT))) {
                return "procedure code " + code.trim();
            }
        }
        return null;
    }

    /** Why a series is a 3D FLAIR (a vendor pattern, or a FLAIR word with MR Acquisition Type 3D), or null. */
    static String flairWhy(PriorRules rules, PriorSeries se) {
        if (se.modality() != null && !se.modality().isBlank() && !"MR".equalsIgnoreCase(se.modality().trim())) {
            return null;
        }
        if ("2D".equalsIgnoreCase(trim(se.mrAcquisitionType()))) {
            return null; // the scanner says 2D: whatever the name says, not a 3D FLAIR
        }
        for (String text : new String[] {se.description(), se.protocolName()}) {
            if (text == null || text.isBlank()) {
                continue;
            }
            String folded = PriorRules.fold(text);
            for (PriorRules.SeriesPattern p : ownVendorFirst(rules.flair3d(), se.manufacturer())) {
                if (p.pattern().matcher(folded).find()) {
                    return "series '" + text.trim() + "' matches the " + p.vendor() + " 3D FLAIR pattern '" + p.text() + "'";
                }
            }
            if ("3D".equalsIgnoreCase(trim(se.mrAcquisitionType()))) {
                for (Pattern w : rules.flairWords()) {
                    if (w.matcher(folded).find()) {
                        return "series '" + text.trim() + "' is a FLAIR with MR Acquisition Type 3D";
                    }
                }
            }
        }
        return null;
    }

    /**
     * The vendors' patterns, those of the series' own manufacturer first (a word of its Manufacturer (0008,0070) is
     * the vendor's name: "Philips Medical Systems", "GE MEDICAL SYSTEMS"): a Philips "3D_FLAIR" series is explained
     * by the Philips pattern, not by the first vendor that lists the same words. The order of the others is kept.
     */
    static List<PriorRules.SeriesPattern> ownVendorFirst(List<PriorRules.SeriesPattern> patterns, String manufacturer) {
        if (manufacturer == null || manufacturer.isBlank()) {
            return patterns;
        }
        java.util.Set<String> words = java.util.Set.of(manufacturer.toUpperCase(Locale.ROOT).split("[^A-Z0-9]+"))
                .stream().filter(w -> !w.isEmpty()).collect(java.util.stream.Collectors.toSet());
        List<PriorRules.SeriesPattern> ordered = new ArrayList<>(patterns);
        ordered.sort(Comparator.comparing(p -> !words.contains(p.vendor().name()))); // stable: own vendor first
        return ordered;
    }

    /** Whether the PACS says the series was acquired below the rules' minimum field strength. */
    static boolean belowMinimum(PriorRules rules, PriorSeries se) {
        return rules.minimumTesla() != null && se.fieldStrengthTesla() != null
                && java.math.BigDecimal.valueOf(se.fieldStrengthTesla()).compareTo(rules.minimumTesla()) < 0;
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }
}
