package org.ofsep.mwl.core.domain;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Person names as the worklist keeps them: the stored normal form, and the folded form used for case- and
 * accent-insensitive matching ("Dupré" -> "DUPRE").
 */
public final class PersonNames {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern TRAILING_EMPTY = Pattern.compile("[\\^ ]+$");

    private PersonNames() {
    }

    /**
     * The one normal form of a person name, for what the worklist stores and for the keys it matches (SQL and
     * in memory): trimmed, and empty trailing components dropped in each component group, then empty trailing
     * groups ("DOE^JOHN^^^" is "DOE^JOHN", "DOE^JOHN^^=ドウ^^" is "DOE^JOHN=ドウ"); null when nothing is left.
     * Wildcards are kept as they are.
     */
    public static String normalForm(String pn) {
        if (pn == null || pn.isBlank()) {
            return null;
        }
        String[] groups = pn.trim().split("=", -1);
        StringBuilder out = new StringBuilder(pn.length());
        for (int i = 0; i < groups.length; i++) {
            if (i > 0) {
                out.append('=');
            }
            out.append(TRAILING_EMPTY.matcher(groups[i]).replaceAll(""));
        }
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == '=') {
            end--;
        }
        String s = out.substring(0, end).trim();
        return s.isEmpty() ? null : s;
    }

    /**
     * A name key in normal form without its last components when they are only "*" or empty ("DUPONT^JEAN^*",
     * "DUPONT^*^*" give "DUPONT^JEAN", "DUPONT"); null when it has none. What a name must start with to match the
     * key once its own empty trailing components are written ({@link #padded}): a store can select with it plus
     * "*", a superset that the exact match then narrows. Trailing groups of wildcards go first ("DUPOND^Jean=*"
     * gives "DUPOND^Jean"); the components of a name that keeps other groups are left as they are.
     */
    public static String withoutTrailingAnyComponents(String normalizedKey) {
        if (normalizedKey == null) {
            return null;
        }
        String s = normalizedKey;
        // trailing component groups of wildcards only ("DUPOND^Jean=*", "DOE^J=*^*=*"): any group, an absent one too
        int eq = s.lastIndexOf('=');
        while (eq >= 0 && s.substring(eq + 1).chars().allMatch(c -> c == '*' || c == '^')) {
            s = s.substring(0, eq);
            eq = s.lastIndexOf('=');
        }
        if (s.indexOf('=') >= 0) {
            return s.equals(normalizedKey) ? null : s;
        }
        while (s.endsWith("^*") || s.endsWith("^")) {
            s = s.substring(0, s.length() - (s.endsWith("^") ? 1 : 2));
        }
        return s.equals(normalizedKey) ? null : s;
    }

    /**
     * The name in normal form with the empty trailing components PS3.5 6.2 lets a name leave out written again, up
     * to as many components as {@code key} has ("DUPONT^JEAN" for "DUPONT^JEAN^*" is "DUPONT^JEAN^"), so that a key
     * asking for any middle name matches a name without one, and the empty trailing component groups too
     * ("DUPOND^Jean" for "DUPOND^Jean=*" is "DUPOND^Jean="); the name as it is when the key has no more of either.
     */
    public static String padded(String normalizedName, String normalizedKey) {
        if (normalizedName == null || normalizedKey == null) {
            return normalizedName;
        }
        // component group by component group (alphabetic=ideographic=phonetic): a name stored without its trailing
        // groups has them empty, so "DUPOND^Jean=*" (a Japanese console's key) matches "DUPOND^Jean"
        String[] keyGroups = normalizedKey.split("=", -1);
        String[] nameGroups = normalizedName.split("=", -1);
        if (keyGroups.length < nameGroups.length) {
            return normalizedName;
        }
        StringBuilder out = new StringBuilder();
        for (int g = 0; g < keyGroups.length; g++) {
            String v = g < nameGroups.length ? nameGroups[g] : "";
            long missing = keyGroups[g].chars().filter(c -> c == '^').count() - v.chars().filter(c -> c == '^').count();
            out.append(g == 0 ? "" : "=").append(v).append(missing > 0 ? "^".repeat((int) missing) : "");
        }
        return out.toString();
    }

    /** Upper case without diacritics; ligatures and sharp s expanded; null stays null. */
    public static String fold(String name) {
        if (name == null) {
            return null;
        }
        String decomposed = Normalizer.normalize(name, Normalizer.Form.NFKD);
        String stripped = MARKS.matcher(decomposed).replaceAll("");
        stripped = stripped.replace("ß", "SS").replace("Æ", "AE").replace("æ", "AE")
                .replace("Œ", "OE").replace("œ", "OE").replace("Ø", "O").replace("ø", "O")
                .replace("Ł", "L").replace("ł", "L").replace("Đ", "D").replace("đ", "D");
        return stripped.toUpperCase(Locale.ROOT);
    }
}
