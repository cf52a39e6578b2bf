package org.ofsep.mwl.core.text;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Keyword matching on free text typed by humans in the RIS: ignores case and accents ("poussée" = "Poussee")
 * and matches whole words only (a plural ending tolerated), so that "MS" does not match inside "Mme SMITH" or
 * "AMS" while "poussées" still matches "poussée".
 */
public final class TextMatch {
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private TextMatch() {
    }

    /** Lower case, no diacritics, typographic apostrophes unified, runs of white space collapsed. */
    public static String normalize(String text) {
        if (text == null) {
            return "";
        }
        String s = Normalizer.normalize(text, Normalizer.Form.NFD);
        s = MARKS.matcher(s).replaceAll("");
        s = s.replace('\u2019', '\'').replace("\u0153", "oe").replace("\u0152", "OE");
        char[] c = SPACES.matcher(s.toLowerCase(Locale.ROOT)).replaceAll(" ").trim().toCharArray();
        elide(c);
        return new String(c);
    }

    /** The words after which a lone "d" is "d'" typed without its apostrophe: "pas d infection". */
    private static final java.util.Set<String> ELIDING = java.util.Set.of("pas", "absence", "plus", "eu", "point");

    /**
     * French elision typed without its apostrophe, in lower-case text: "pas d infection", "absence d IRM",
     * "jamais eu d allergie" read as "pas d'infection"... (the space after the "d" becomes "'", one char for one
     * char), so that the denials written with "d'" hold for them too (they were read as the thing stated: an
     * intercurrent infection, a renal failure, a Gd allergy, a previous MRI). Only after a word that asks for it,
     * so that "3 d ago" stays three days.
     */
    public static void elide(char[] s) {
        for (int i = 2; i + 2 < s.length; i++) {
            if (s[i] != 'd' || s[i + 1] != ' ' || !Character.isLetter(s[i + 2]) || s[i - 1] != ' ') {
                continue;
            }
            int end = i - 1;
            int start = end;
            while (start > 0 && Character.isLetter(s[start - 1])) {
                start--;
            }
            if (start < end && ELIDING.contains(new String(s, start, end - start))) {
                s[i + 1] = '\'';
            }
        }
    }

    /** A pattern that finds {@code keyword} as whole word(s) in text already passed through {@link #normalize}. */
    public static Pattern wordPattern(String keyword) {
        String k = normalize(keyword);
        // a feminine or plural ending is tolerated ("poussées" matches "poussée", "intercurrente" matches
        // "intercurrent"): RIS text is written by hand; an abbreviation of three letters or fewer takes none ("SEPs"
        // are somatosensory evoked potentials, not MS)
        String ending = k.length() <= 3 ? "" : "(?:s|es|e|x)?";
        return Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(k) + ending + "(?![\\p{L}\\p{N}])");
    }

    /** Whether {@code keyword} occurs in {@code text} as whole word(s), ignoring case and accents. */
    public static boolean containsWord(String text, String keyword) {
        if (text == null || keyword == null || keyword.isBlank()) {
            return false;
        }
        return wordPattern(keyword).matcher(normalize(text)).find();
    }
}
