package org.ofsep.mwl.core.priors;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.ofsep.mwl.core.domain.Vendor;
import org.ofsep.mwl.core.text.TextMatch;

/**
 * The {@code priors:} section of mapping.yaml, compiled once per mapping snapshot: which previous studies are
 * brain or spinal cord MRIs, and which series are a 3D FLAIR on each vendor.
 *
 * <p>Text patterns (study descriptions, series descriptions and protocol names) match as whole words, ignoring
 * case, accents and the separators scanners put in their names: {@code _}, {@code -} and spaces are the same,
 * so {@code spc_da-fl} matches "t2_spc_da-fl_sag_p2_iso" and {@code 3D FLAIR} matches "3D_FLAIR_SAG". Body parts
 * and procedure codes match whole values, ignoring case.
 */
public final class PriorRules {

    private static final Pattern SEPARATORS = Pattern.compile("[_\\-\\s./]+");

    /** Compiled patterns of one kind of study. */
    public record StudyPatterns(Set<String> bodyParts, List<Pattern> descriptions, Set<String> procedureCodes) {
        /** Nothing of this kind counts. */
        public static final StudyPatterns NONE = new StudyPatterns(Set.of(), List.of(), Set.of());

        /** The patterns compiled from their texts; a null list is an empty one. */
        public static StudyPatterns of(List<String> bodyParts, List<String> descriptions, List<String> procedureCodes) {
            return new StudyPatterns(upper(bodyParts), patterns(descriptions), upper(procedureCodes));
        }
    }

    /** A vendor's 3D FLAIR pattern with its source text (for the reasons). */
    public record SeriesPattern(Vendor vendor, String text, Pattern pattern) {
    }

    private final StudyPatterns brain;
    private final StudyPatterns spine;
    private final List<SeriesPattern> flair3d;
    private final List<Pattern> flairWords;
    private final java.math.BigDecimal minimumTesla;

    private PriorRules(StudyPatterns brain, StudyPatterns spine, List<SeriesPattern> flair3d, List<Pattern> flairWords,
                       java.math.BigDecimal minimumTesla) {
        this.brain = brain;
        this.spine = spine;
        this.flair3d = flair3d;
        this.flairWords = flairWords;
        this.minimumTesla = minimumTesla;
    }

    /**
     * These rules, with a 3D FLAIR acquired below {@code minimumTesla} (when the PACS returns the series' Magnetic
     * Field Strength) not counting: OFSEP 2020, "Acquisitions must be performed on at least a 1·5T field strength",
     * so such an exam is not the standardized protocol a follow-up without Gd compares with. Null: no minimum.
     */
    public PriorRules withMinimumTesla(java.math.BigDecimal minimumTesla) {
        return new PriorRules(brain, spine, flair3d, flairWords, minimumTesla);
    }

    /** The field strength below which a 3D FLAIR does not make a comparable prior; null for none. */
    public java.math.BigDecimal minimumTesla() {
        return minimumTesla;
    }

    /** Nothing counts: what a mapping without a {@code priors:} section gives. */
    public static final PriorRules NONE = new PriorRules(StudyPatterns.NONE, StudyPatterns.NONE, List.of(), List.of(),
            null);

    /**
     * Compiles the rules (the mapping snapshot calls this with its {@code priors:} section, so that the priors
     * package needs nothing of the mapping's document).
     *
     * @param flair3dByVendor the 3D FLAIR series texts of each vendor; null for none
     * @param flairWithMrAcquisitionType3d the FLAIR words that count as 3D with MR Acquisition Type 3D; null for none
     */
    public static PriorRules compile(StudyPatterns brain, StudyPatterns spine, Map<Vendor, List<String>> flair3dByVendor,
                                     List<String> flairWithMrAcquisitionType3d) {
        List<SeriesPattern> series = new ArrayList<>();
        if (flair3dByVendor != null) {
            Map<Vendor, List<String>> byVendor = new EnumMap<>(Vendor.class);
            byVendor.putAll(flair3dByVendor);
            byVendor.forEach((v, list) -> {
                if (list != null) {
                    list.forEach(t -> series.add(new SeriesPattern(v, t, pattern(t))));
                }
            });
        }
        return new PriorRules(brain == null ? StudyPatterns.NONE : brain, spine == null ? StudyPatterns.NONE : spine,
                List.copyOf(series), patterns(flairWithMrAcquisitionType3d), null);
    }

    public StudyPatterns brain() {
        return brain;
    }

    public StudyPatterns spine() {
        return spine;
    }

    public List<SeriesPattern> flair3d() {
        return flair3d;
    }

    public List<Pattern> flairWords() {
        return flairWords;
    }

    /** Lower case, no accents, separators unified to one space: the form every text pattern is matched on. */
    public static String fold(String text) {
        return SEPARATORS.matcher(TextMatch.normalize(text)).replaceAll(" ").trim();
    }

    static Pattern pattern(String text) {
        String k = fold(text);
        return Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(k) + "(?![\\p{L}\\p{N}])");
    }

    private static List<Pattern> patterns(List<String> list) {
        return list == null ? List.of() : list.stream().filter(s -> s != null && !s.isBlank()).map(PriorRules::pattern).toList();
    }

    private static Set<String> upper(List<String> list) {
        return list == null ? Set.of() : list.stream().filter(s -> s != null && !s.isBlank())
                .map(s -> s.trim().toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }
}
