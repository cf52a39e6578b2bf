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
     * A person name as stored and matched: trimmed, trailing empty components dropped ("DOE^JOHN^^^" is
     * "DOE^JOHN"), null when nothing is left; the same normal form gateway-dicom gives query keys, so
     * single-value matching compares like with like.
     */
    public static String normalForm(String pn) {
        if (pn == null || pn.isBlank()) {
            return null;
        }
        String s = TRAILING_EMPTY.matcher(pn.trim()).replaceAll("");
        return s.isEmpty() ? null : s;
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
