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

    public TreatmentDictionary(List<Treatment> treatments) {
        this.treatments = List.copyOf(treatments);
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
        return new TreatmentDictionary(out);
    }

    /** A whole-word pattern for a phrase on folded text; spaces and hyphens in the phrase match either. */
    static Pattern wordPattern(String phrase) {
        String f = Texts.fold(phrase.trim());
        StringBuilder re = new StringBuilder("(?<![\\p{L}\\d])");
        boolean first = true;
        for (String part : f.split("[\\s-]+")) {
            if (!first) {
                re.append("[\\s-]*");
            }
            first = false;
            re.append(Pattern.quote(part));
        }
        re.append("(?![\\p{L}\\d])");
        return Pattern.compile(re.toString());
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
