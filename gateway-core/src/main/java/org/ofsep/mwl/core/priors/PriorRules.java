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
import org.ofsep.mwl.core.mapping.MappingDocument;
import org.ofsep.mwl.core.mapping.TextMatch;

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
        static StudyPatterns of(MappingDocument.PriorStudyPatterns p) {
            if (p == null) {
                return new StudyPatterns(Set.of(), List.of(), Set.of());
            }
            return new StudyPatterns(upper(p.bodyParts()), patterns(p.descriptions()), upper(p.procedureCodes()));
        }
    }

    /** A vendor's 3D FLAIR pattern with its source text (for the reasons). */
    public record SeriesPattern(Vendor vendor, String text, Pattern pattern) {
    }

    private final StudyPatterns brain;
    private final StudyPatterns spine;
    private final List<SeriesPattern> flair3d;
    private final List<Pattern> flairWords;

    private PriorRules(StudyPatterns brain, StudyPatterns spine, List<SeriesPattern> flair3d, List<Pattern> flairWords) {
        this.brain = brain;
        this.spine = spine;
        this.flair3d = flair3d;
        this.flairWords = flairWords;
    }

    /** Nothing counts: what a mapping without a {@code priors:} section gives. */
    public static final PriorRules NONE = new PriorRules(StudyPatterns.of(null), StudyPatterns.of(null), List.of(),
            List.of());

    public static PriorRules compile(MappingDocument.Priors p) {
        if (p == null) {
            return NONE;
        }
        List<SeriesPattern> series = new ArrayList<>();
        if (p.flair3d() != null && p.flair3d().vendors() != null) {
            Map<Vendor, List<String>> byVendor = new EnumMap<>(Vendor.class);
            byVendor.putAll(p.flair3d().vendors());
            byVendor.forEach((v, list) -> {
                if (list != null) {
                    list.forEach(t -> series.add(new SeriesPattern(v, t, pattern(t))));
                }
            });
        }
        List<Pattern> words = p.flair3d() == null ? List.of() : patterns(p.flair3d().flairWithMrAcquisitionType3d());
        return new PriorRules(StudyPatterns.of(p.brain()), StudyPatterns.of(p.spine()), List.copyOf(series), words);
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
