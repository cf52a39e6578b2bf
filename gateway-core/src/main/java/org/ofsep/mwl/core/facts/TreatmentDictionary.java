package org.ofsep.mwl.core.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The disease-modifying treatments of the mapping, compiled once per mapping snapshot. */
public final class TreatmentDictionary {

    /** One treatment: generic name, PML risk, and one pattern per name people write (folded, whole words). */
    public record Treatment(String generic, boolean pmlRisk, List<Pattern> names) {
    }

    private final List<Treatment> treatments;
    /** Every name of every treatment in one alternation (longest first), for one scan of a text. */
    private final Pattern combined;
    private final java.util.Map<String, Treatment> byKey = new java.util.HashMap<>();

    public TreatmentDictionary(List<Treatment> treatments) {
        this.treatments = List.copyOf(treatments);
        this.combined = null;
    }

    private TreatmentDictionary(List<Treatment> treatments, List<String> generics, List<List<String>> names) {
        this.treatments = List.copyOf(treatments);
        List<String[]> all = new ArrayList<>();
        for (int i = 0; i < treatments.size(); i++) {
            List<String> ns = new ArrayList<>();
            ns.add(generics.get(i));
            if (names.get(i) != null) {
                ns.addAll(names.get(i));
            }
            for (String n : ns) {
                if (n == null || n.isBlank()) {
                    continue;
                }
                String k = key(Texts.fold(n.trim()));
                byKey.putIfAbsent(k, treatments.get(i));
                all.add(new String[] {n, k});
            }
        }
        all.sort((a, b) -> Integer.compare(b[1].length(), a[1].length()));
        StringBuilder re = new StringBuilder();
        for (String[] n : all) {
            re.append(re.length() == 0 ? "" : "|").append(wordRegex(n[0]));
        }
        this.combined = re.length() == 0 ? null
                : Pattern.compile("(?<![\\p{L}\\d])(?:" + re + ")(?![\\p{L}\\d])");
    }

    /** Spaces and hyphens, compiled once (a key is made for every treatment name found in an order). */
    private static final Pattern SPACES_AND_HYPHENS = Pattern.compile("[\\s-]+");

    private static String key(String folded) {
        return SPACES_AND_HYPHENS.matcher(folded).replaceAll("");
    }

    /** The pattern that finds any treatment name in folded text (null when the dictionary is empty). */
    Pattern combined() {
        return combined;
    }

    /** The treatment a match of {@link #combined()} names. */
    Treatment at(String matchedFoldedText) {
        return byKey.get(key(matchedFoldedText));
    }

    /** Builds the dictionary from generic names, their other names and PML-risk flags. */
    public static TreatmentDictionary of(List<String> generics, List<List<String>> names, List<Boolean> pmlRisk) {
        List<Treatment> out = new ArrayList<>();
        for (int i = 0; i < generics.size(); i++) {
            List<Pattern> ps = new ArrayList<>();
            ps.add(wordPattern(generics.get(i)));
            for (String n : names.get(i) == null ? List.<String>of() : names.get(i)) {
                ps.add(wordPattern(n));
            }
            out.add(new Treatment(generics.get(i).trim(), Boolean.TRUE.equals(pmlRisk.get(i)), ps));
        }
        return new TreatmentDictionary(out, generics, names);
    }

    /** A whole-word pattern for a phrase on folded text; spaces and hyphens in the phrase match either. */
    static Pattern wordPattern(String phrase) {
        return Pattern.compile("(?<![\\p{L}\\d])" + wordRegex(phrase) + "(?![\\p{L}\\d])");
    }

    /** The regex of a phrase on folded text, without the word boundaries. */
    static String wordRegex(String phrase) {
        String f = Texts.fold(phrase.trim());
        StringBuilder re = new StringBuilder();
        boolean first = true;
        for (String part : f.split("[\\s-]+")) {
            if (!first) {
                re.append("[\\s-]*");
            }
            first = false;
            re.append(Pattern.quote(part));
        }
        return re.toString();
    }

    public List<Treatment> treatments() {
        return treatments;
    }

    /** The treatment with this generic name or other name (case and accents ignored), or null. */
    public Treatment lookup(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String f = Texts.fold(name.trim());
        for (Treatment t : treatments) {
            for (Pattern p : t.names()) {
                var m = p.matcher(f);
                if (m.find() && m.start() == 0 && m.end() == f.length()) {
                    return t;
                }
            }
        }
        return null;
    }
}
