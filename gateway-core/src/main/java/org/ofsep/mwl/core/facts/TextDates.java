package org.ofsep.mwl.core.facts;

import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    private static final String NB = "(?<![\\d.,/-])";
    private static final String NA = "(?![\\d])";

    private static final Pattern ISO = Pattern.compile(NB + "((?:19|20)\\d{2})-(\\d{1,2})(?:-(\\d{1,2}))?" + NA);
    private static final Pattern HL7 = Pattern.compile(NB + "((?:19|20)\\d{2})(0[1-9]|1[0-2])([0-3]\\d)" + NA);
    private static final Pattern DMY = Pattern.compile(NB + "(\\d{1,2})[/.-](\\d{1,2})[/.-](\\d{4}|\\d{2})" + NA);
    private static final Pattern MY = Pattern.compile(NB + "(\\d{1,2})[/.-]((?:19|20)\\d{2})" + NA);
    private static final Pattern DAY_MONTH_YEAR = Pattern.compile(
            "(?<![\\p{L}\\d])(?:(\\d{1,2})(?:er|st|nd|rd|th)?\\s+)?" + MONTH + "\\.?\\s+(?:(\\d{1,2})(?:st|nd|rd|th)?,?\\s+)?((?:19|20)\\d{2})" + NA);
    private static final Pattern YEAR = Pattern.compile("(?<![\\p{L}\\d.,/-])((?:19|20)\\d{2})(?![\\d/.-]\\d)" + "(?![\\p{L}])");

    private TextDates() {
    }

    /** Every date in {@code folded} between from and to, in text order, without overlaps. */
    static List<Found> find(String folded, int from, int to) {
        List<Found> out = new ArrayList<>();
        boolean[] used = new boolean[to - from];
        scan(ISO, folded, from, to, used, out, m -> PartialDate.of(i(m, 1), i(m, 2), m.group(3) == null ? null : i(m, 3)));
        scan(HL7, folded, from, to, used, out, m -> PartialDate.of(i(m, 1), i(m, 2), i(m, 3)));
        scan(DMY, folded, from, to, used, out, m -> {
            int y = i(m, 3);
            return PartialDate.of(y < 100 ? 2000 + y : y, i(m, 2), i(m, 1));
        });
        scan(MY, folded, from, to, used, out, m -> PartialDate.of(i(m, 2), i(m, 1), null));
        scan(DAY_MONTH_YEAR, folded, from, to, used, out, m -> {
            Integer day = m.group(1) != null ? Integer.valueOf(i(m, 1))
                    : m.group(3) != null ? Integer.valueOf(i(m, 3)) : null;
            return PartialDate.of(i(m, 4), MONTHS.get(m.group(2)), day);
        });
        scan(YEAR, folded, from, to, used, out, m -> PartialDate.of(i(m, 1), null, null));
        out.sort((a, b) -> Integer.compare(a.start(), b.start()));
        return out;
    }

    private interface Maker {
        PartialDate make(Matcher m);
    }

    private static void scan(Pattern p, String folded, int from, int to, boolean[] used, List<Found> out, Maker maker) {
        Matcher m = p.matcher(folded).region(from, to);
        while (m.find()) {
            boolean free = true;
            for (int k = m.start(); k < m.end(); k++) {
                if (used[k - from]) {
                    free = false;
                    break;
                }
            }
            if (!free) {
                continue;
            }
            PartialDate d;
            try {
                d = maker.make(m);
            } catch (DateTimeException | NumberFormatException e) {
                continue; // 31/02/2022, month 13: not a date
            }
            if (d.date().getYear() < 1950 || d.date().getYear() > 2100) {
                continue;
            }
            for (int k = m.start(); k < m.end(); k++) {
                used[k - from] = true;
            }
            out.add(new Found(d, m.start(), m.end()));
        }
    }

    private static int i(Matcher m, int g) {
        return Integer.parseInt(m.group(g));
    }
}
