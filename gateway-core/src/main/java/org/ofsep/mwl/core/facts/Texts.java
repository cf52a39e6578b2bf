package org.ofsep.mwl.core.facts;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Free-text helpers that keep character positions: a normalized text has the length of the original. */
final class Texts {

    private Texts() {
    }

    /**
     * Lower case without diacritics, one char for one char (so that a match maps back to the original words):
     * "Dernière IRM" -> "derniere irm", "µmol" -> "umol", the typographic apostrophe -> "'", "pas d infection" ->
     * "pas d'infection" ({@link org.ofsep.mwl.core.text.TextMatch#elide}).
     */
    static String fold(String text) {
        char[] out = new char[text.length()];
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 128) {
                out[i] = Character.toLowerCase(c);
                continue;
            }
            char f;
            switch (c) {
                case '\u00B5', '\u03BC' -> f = 'u';
                case '\u2019', '\u2018', '\u00B4' -> f = '\'';
                case '\u0153', '\u0152' -> f = 'o';
                case '\u00E6', '\u00C6' -> f = 'a';
                case '\u2013', '\u2014', '\u2212' -> f = '-';
                case '\u2192' -> f = '>';
                case '\u2264' -> f = '<';
                case '\u2265' -> f = '>';
                case '\u00A0', '\u202F' -> f = ' ';
                case '\u03B2', '\u00DF' -> f = 'b';
                default -> {
                    String d = Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFD);
                    f = Character.toLowerCase(d.charAt(0));
                }
            }
            out[i] = f;
        }
        org.ofsep.mwl.core.text.TextMatch.elide(out); // "pas d infection": "pas d'infection"
        return new String(out);
    }

    /**
     * The clauses of a text (lines, ";"- or "|"-separated parts, sentences: a ". ", "! " or "? " followed by a
     * capital) as [start, end) ranges, with a third element 1 for the parts of a run cut at {@link #MAX_CLAUSE};
     * a final period is left out.
     */
    static List<int[]> clauses(String text) {
        List<int[]> out = new ArrayList<>();
        int n = text.length();
        int start = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n' || c == ';' || c == '|') {
                add(out, text, start, i);
                start = i + 1;
            } else if (c == '.' || c == '!' || c == '?') {
                int j = i + 1;
                while (j < n && Character.isWhitespace(text.charAt(j))) {
                    j++;
                }
                // "Enceinte ? Non." is one statement, a form's question and its answer: the clause ends after the
                // answer ("Allergie ? Non Enceinte ? Oui" is two: "Non Enceinte" is no "non enceinte")
                int answerEnd = c == '?' ? answerEnd(text, j) : -1;
                if (answerEnd > 0) {
                    add(out, text, start, answerEnd);
                    start = answerEnd;
                    i = answerEnd - 1;
                    continue;
                }
                if (j > i + 1 && j < n && Character.isUpperCase(text.charAt(j))) {
                    add(out, text, start, i + 1);
                    start = j;
                    i = j - 1;
                } else if (c == '.' && j == n) {
                    add(out, text, start, i);
                    start = n;
                }
            }
        }
        add(out, text, start, n);
        return out;
    }

    /**
     * Where a yes/no answer word that starts at {@code at} ends ("Non", "Oui", "No", "Yes", "NSP"), with the words
     * that say it is not known ("Non renseigné", "No known", "non connu"), or -1 when none starts there.
     */
    private static int answerEnd(String text, int at) {
        for (String w : new String[] {"non", "oui", "no", "yes", "nsp"}) {
            int end = at + w.length();
            if (end <= text.length() && text.regionMatches(true, at, w, 0, w.length())
                    && (end == text.length() || !Character.isLetter(text.charAt(end)))) {
                java.util.regex.Matcher unknown = UNKNOWN_AFTER.matcher(text).region(end, text.length());
                return unknown.lookingAt() ? unknown.end() : end;
            }
        }
        return -1;
    }

    private static final java.util.regex.Pattern UNKNOWN_AFTER = java.util.regex.Pattern.compile(
            "\\s+(?:renseign\\p{L}*|connu\\p{L}*|known|pr[ée]cis\\p{L}*|rempli\\p{L}*|fait\\p{L}*|done|re[çc]u\\p{L}*)",
            java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.UNICODE_CASE);

    /**
     * The longest clause read as one. A statement of an order is a few hundred characters at most, but a pasted
     * report may run on for pages without a line, ";" or sentence end: a run longer than this (only an unusual or
     * hostile text) is read in parts of at most this length, cut after a comma or at a space, so that reading a
     * text costs in proportion to its length (the reader's work on a clause grows with the square of the mentions
     * in it: a 1 MB OBR-13 in one clause took half a minute). A statement across a cut may be missed: the parts are
     * marked ({@code [2] == 1}) and the reader says so in the decision's notes. (At 1,000 characters, statements of
     * a 100 KB run-on text were lost at the cuts.)
     */
    static final int MAX_CLAUSE = 20_000;

    private static void add(List<int[]> out, String text, int from, int to) {
        while (from < to && Character.isWhitespace(text.charAt(from))) {
            from++;
        }
        while (to > from && Character.isWhitespace(text.charAt(to - 1))) {
            to--;
        }
        boolean cutRun = false;
        while (to - from > MAX_CLAUSE) {
            // after the last comma of the part (a list's items), else at its last space, else at the limit
            int cut = -1;
            for (int i = from + MAX_CLAUSE - 1; i > from + MAX_CLAUSE / 2 && cut < 0; i--) {
                if (text.charAt(i) == ',') {
                    cut = i + 1;
                }
            }
            for (int i = from + MAX_CLAUSE; i > from + MAX_CLAUSE / 2 && cut < 0; i--) {
                if (Character.isWhitespace(text.charAt(i))) {
                    cut = i;
                }
            }
            if (cut < 0) {
                cut = from + MAX_CLAUSE;
            }
            int end = cut;
            while (end > from && Character.isWhitespace(text.charAt(end - 1))) {
                end--;
            }
            out.add(new int[] {from, end, 1});
            from = cut;
            cutRun = true;
            while (from < to && Character.isWhitespace(text.charAt(from))) {
                from++;
            }
        }
        if (to > from) {
            out.add(cutRun ? new int[] {from, to, 1} : new int[] {from, to});
        }
    }

    /** Whether {@code word} occurs in {@code s} starting at or after {@code from} and ending at or before {@code to}. */
    static boolean contains(String s, String word, int from, int to) {
        int last = Math.min(to, s.length()) - word.length();
        for (int i = Math.max(0, from); i <= last; i++) {
            if (s.charAt(i) == word.charAt(0) && s.startsWith(word, i)) {
                return true;
            }
        }
        return false;
    }

    /** Whether position i starts a word or a number (a letter or digit without one right before it). */
    static boolean wordStart(String f, int i) {
        return Character.isLetterOrDigit(f.charAt(i)) && (i == 0 || !Character.isLetterOrDigit(f.charAt(i - 1)));
    }

    /**
     * The matches of a pattern that begins at a word boundary, tried only at word starts (much cheaper than a
     * scan at every character), without overlaps, in text order: [start, end) pairs.
     */
    static List<int[]> wordMatches(Pattern p, String f, int from, int to) {
        List<int[]> out = new ArrayList<>();
        if (to <= from) {
            return out;
        }
        Matcher m = p.matcher(f);
        m.useTransparentBounds(true);
        int i = from;
        while (i < to) {
            if (wordStart(f, i)) {
                m.region(i, to);
                if (m.lookingAt() && m.end() > i) {
                    out.add(new int[] {i, m.end()});
                    i = m.end();
                    continue;
                }
            }
            i++;
        }
        return out;
    }

    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");

    /** The words a fact came from, trimmed and at most 160 characters. */
    static String quote(String original, int from, int to) {
        String s = WHITESPACE.matcher(original.substring(Math.max(0, from), Math.min(original.length(), to)).strip())
                .replaceAll(" ");
        return s.length() <= 160 ? s : s.substring(0, 157) + "...";
    }
}
