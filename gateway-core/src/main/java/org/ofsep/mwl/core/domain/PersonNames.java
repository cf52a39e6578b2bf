package org.ofsep.mwl.core.domain;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** The folded form of a person name used for case- and accent-insensitive matching ("Dupré" -> "DUPRE"). */
public final class PersonNames {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    private PersonNames() {
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
