package org.ofsep.mwl.core.facts;

import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ofsep.mwl.core.domain.PartialDate;

/**
 * Dates in French and English clinical text (already folded by {@link Texts#fold}): 15/03/2022, 15-03-22,
 * 15.03.2022, 03/2022, 2022-03-15, 2022-03, 15 mars 2022, mars 2022, March 15, 2022, Nov 2025, nov. 2025, and
 * a year alone (1990-2099) when nothing more precise is written.
 */
final class TextDates {

    /** A date found at [start, end) of the searched text. */
    record Found(PartialDate date, int start, int end) {
    }

    private static final Map<String, Integer> MONTHS = Map.ofEntries(
            Map.entry("janvier", 1), Map.entry("janv", 1), Map.entry("jan", 1), Map.entry("january", 1),
            Map.entry("fevrier", 2), Map.entry("fevr", 2), Map.entry("fev", 2), Map.entry("feb", 2),
            Map.entry("february", 2),
            Map.entry("mars", 3), Map.entry("mar", 3), Map.entry("march", 3),
            Map.entry("avril", 4), Map.entry("avr", 4), Map.entry("apr", 4), Map.entry("april", 4),
            Map.entry("mai", 5), Map.entry("may", 5),
            Map.entry("juin", 6), Map.entry("jun", 6), Map.entry("june", 6),
            Map.entry("juillet", 7), Map.entry("juil", 7), Map.entry("jul", 7), Map.entry("july", 7),
            Map.entry("aout", 8), Map.entry("aug", 8), Map.entry("august", 8),
            Map.entry("septembre", 9), Map.entry("sept", 9), Map.entry("sep", 9), Map.entry("september", 9),
            Map.entry("octobre", 10), Map.entry("oct", 10), Map.entry("october", 10),
            Map.entry("novembre", 11), Map.entry("nov", 11), Map.entry("november", 11),
            Map.entry("decembre", 12), Map.entry("dec", 12), Map.entry("december", 12));

    private static final String MONTH = "(janvier|janv|january|jan|fevrier|fevr|february|feb|fev|mars|march|mar"
            + "|avril|april|avr|apr|mai|may|juin|june|jun|juillet|juil|july|jul|aout|august|aug|septembre|september"
            + "|sept|sep|octobre|october|oct|novembre|november|nov|decembre|december|dec)";
    /**
     * Every form in one alternation, tried left to right: at a given position the more precise forms come first.
     * A word before a year that is not a month ("since 2022") is not a date: the year alone is taken instead.
     */
    private static final Pattern DATE = Pattern.compile("(?<![\\p{L}\\d])(?:"
            + "(?<![.,/-])((?:19|20)\\d{2})-(\\d{1,2})(?:-(\\d{1,2}))?(?![\\d])"                       // 1-3 ISO
            + "|(?<![.,/-])((?:19|20)\\d{2})(0[1-9]|1[0-2])([0-3]\\d)(?![\\d])"                         // 4-6 HL7
            + "|(?<![.,/-])(\\d{1,2})[/.-](\\d{1,2})[/.-](\\d{4}|\\d{2})(?![\\d])"                     // 7-9 d/m/y
            + "|(?<![.,/-])(\\d{1,2})[/.-]((?:19|20)\\d{2})(?![\\d])"                                   // 10-11 m/y
            + "|(?:(\\d{1,2})(?:er|st|nd|rd|th)?\\s+)?([a-z]{3,9})\\.?\\s+(?:(\\d{1,2})(?:st|nd|rd|th)?,?\\s+)?"
            + "((?:19|20)\\d{2})(?![\\d])"                                                          // 12-15 words
            + "|(?<![.,/-])((?:19|20)\\d{2})(?![\\d/.-]\\d)(?![\\p{L}])"                               // 16 year
            + ")");

    private TextDates() {
    }

    /** Every date in {@code folded} between from and to, in text order, without overlaps. */
    static List<Found> find(String folded, int from, int to) {
        List<Found> out = new ArrayList<>();
        if (!hasDigit(folded, from, to)) {
            return out;
        }
        Matcher m = DATE.matcher(folded);
        m.useTransparentBounds(true);
        int pos = from;
        while (pos < to) {
            // a date starts a number or a month name: only those positions are tried
            if (!Texts.wordStart(folded, pos) || (Character.isLetter(folded.charAt(pos)) && !monthAt(folded, pos, to))) {
                pos++;
                continue;
            }
            m.region(pos, to);
            if (!m.lookingAt()) {
                pos++;
                continue;
            }
            PartialDate d;
            try {
                d = make(m);
            } catch (DateTimeException | NumberFormatException e) {
                d = null; // 31/02/2022, month 13: not a date
            }
            if (d == null) {
                pos++;
                continue;
            }
            if (d.date().getYear() >= 1950 && d.date().getYear() <= 2100) {
                out.add(new Found(d, m.start(), m.end()));
            }
            pos = m.end();
        }
        return out;
    }

    private static boolean monthAt(String s, int at, int to) {
        int end = at;
        while (end < to && end - at < 10 && Character.isLetter(s.charAt(end))) {
            end++;
        }
        return MONTHS.containsKey(s.substring(at, end));
    }

    private static boolean hasDigit(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                return true;
            }
        }
        return false;
    }

    private static PartialDate make(Matcher m) {
        if (m.group(1) != null) {
            return PartialDate.of(i(m, 1), i(m, 2), m.group(3) == null ? null : i(m, 3));
        }
        if (m.group(4) != null) {
            return PartialDate.of(i(m, 4), i(m, 5), i(m, 6));
        }
        if (m.group(7) != null) {
            int y = i(m, 9);
            return PartialDate.of(y < 100 ? 2000 + y : y, i(m, 8), i(m, 7));
        }
        if (m.group(10) != null) {
            return PartialDate.of(i(m, 11), i(m, 10), null);
        }
        if (m.group(13) != null) {
            Integer month = MONTHS.get(m.group(13));
            if (month == null) {
                return null;
            }
            Integer day = m.group(12) != null ? Integer.valueOf(i(m, 12))
                    : m.group(14) != null ? Integer.valueOf(i(m, 14)) : null;
            return PartialDate.of(i(m, 15), month, day);
        }
        return PartialDate.of(i(m, 16), null, null);
    }

    private static int i(Matcher m, int g) {
        return Integer.parseInt(m.group(g));
    }
}
