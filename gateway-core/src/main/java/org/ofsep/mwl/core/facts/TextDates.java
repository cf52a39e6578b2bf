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
 * a year alone (1990-2099) when nothing more precise is written. Given the day the text was written (the order's
 * day, else the exam's: {@code FreeTextReader}), also a date written relative to it: "il y a 5 mois", "il y a
 * environ un an et demi", "3 weeks ago", "a year ago" (counted back from that day, as the treatment durations
 * "depuis 18 mois" are: to the day for days and weeks, to the month for months and years). "Plus de 2 ans", "more
 * than a year ago" give no date.
 */
final class TextDates {

    /** A date found at [start, end) of the searched text. */
    record Found(PartialDate date, int start, int end, boolean relative) {
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
            + "|(?:(\\d{1,2})(?:er|st|nd|rd|th)?(?:\\s+|-))?([a-z]{3,9})\\.?(?:\\s+|-)(?:(\\d{1,2})(?:st|nd|rd|th)?,?\\s+)?"
            + "((?:19|20)\\d{2})(?![\\d])"                                          // 12-15 words ("10-Jun-2026" too)
            + "|(?<![.,/-])((?:19|20)\\d{2})(?![\\d/.-]\\d)(?![\\p{L}])"                               // 16 year
            + ")");

    private static final Map<String, Integer> NUMBER_WORDS = Map.ofEntries(
            Map.entry("un", 1), Map.entry("une", 1), Map.entry("deux", 2), Map.entry("trois", 3),
            Map.entry("quatre", 4), Map.entry("cinq", 5), Map.entry("six", 6), Map.entry("sept", 7),
            Map.entry("huit", 8), Map.entry("neuf", 9), Map.entry("dix", 10), Map.entry("onze", 11),
            Map.entry("douze", 12), Map.entry("quinze", 15), Map.entry("dix-huit", 18),
            Map.entry("a", 1), Map.entry("an", 1), Map.entry("one", 1), Map.entry("two", 2), Map.entry("three", 3),
            Map.entry("four", 4), Map.entry("five", 5), Map.entry("seven", 7), Map.entry("eight", 8),
            Map.entry("nine", 9), Map.entry("ten", 10), Map.entry("eleven", 11), Map.entry("twelve", 12),
            Map.entry("fifteen", 15), Map.entry("eighteen", 18));

    /**
     * "il y a [environ] N unit[ et M mois][ et demi]"; a number in words needs a space before its unit; "il y a 3 ans
     * d'évolution" (there are) is not a date.
     */
    private static final Pattern AGO_FR = Pattern.compile("(?<![\\p{L}\\d])il y a\\s+(?:environ\\s+|env\\.?\\s*|~\\s*)?"
            + "(?:(?<n>\\d{1,3}(?:[.,]\\d{1,2})?)\\s*|(?<w>un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix-huit"
            + "|dix|onze|douze|quinze)\\s+)(?<u>jours?|j|semaines?|sem|mois|ans?|annees?)"
            + "(?:\\s+et\\s+(?<m>\\d{1,2})\\s*mois)?(?<h>\\s+et\\s+demie?)?(?![\\p{L}\\d])"
            + "(?!\\s*(?:d'|de\\s+(?!cela)))");
    /**
     * "[about] N unit[ and M months][ and a half] ago"; a number in words needs a space before its unit; a bound
     * ("more than a year ago", "under 2 years ago") is not a date, nor is a number that ends a decimal, a fraction
     * or a range ("1 1/2 years ago", "2-3 years ago").
     */
    private static final Pattern AGO_EN = Pattern.compile("(?<![\\p{L}\\d.,/-])(?<!more than )(?<!less than )"
            + "(?<!fewer than )(?<!greater than )(?<!over )(?<!under )(?<!up to )(?<!at least )(?<!within )"
            + "(?:about\\s+|approximately\\s+|approx\\.?\\s*|around\\s+|~\\s*)?(?:(?<n>\\d{1,3}(?:[.,]\\d{1,2})?)\\s*"
            + "|(?<w>an|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|eighteen)\\s+)"
            + "(?<u>days?|d|weeks?|wks?|months?|mos?|years?|yrs?|y)\\.?(?:\\s+and\\s+(?<m>\\d{1,2})\\s*months?)?"
            + "(?<h>\\s+and\\s+a\\s+half)?\\s+ago(?![\\p{L}\\d])");

    /**
     * A month without its year right after "depuis"/"since"/"from" ("depuis le mois de mai", "depuis mai dernier",
     * "since June"): the last such month on or before the day the text was written. Never a month followed by a day
     * or a year (those are absolute dates).
     */
    private static final Pattern MONTH_SINCE = Pattern.compile("(?<![\\p{L}\\d])(?:depuis|since|from|a partir de)\\s+"
            + "(?<d>(?:le mois d(?:e |')|the month of )?(?<mo>janvier|january|fevrier|february|mars|march|avril|april|mai"
            + "|may|juin|june|juillet|july|aout|august|septembre|september|octobre|october|novembre|november|decembre"
            + "|december)(?:\\s+(?:dernier|last))?)(?![\\p{L}\\d])(?!\\s*[,.]?\\s*\\d)");

    private TextDates() {
    }

    /** Every date in {@code folded} between from and to, in text order, without overlaps (no relative dates). */
    static List<Found> find(String folded, int from, int to) {
        return find(folded, from, to, null);
    }

    /**
     * Every date in {@code folded} between from and to, in text order, without overlaps; with {@code now} not
     * null, also the dates written relative to that day ("il y a 5 mois", "2 years ago": the day the text was
     * written).
     */
    static List<Found> find(String folded, int from, int to, java.time.LocalDate now) {
        List<Found> out = absolute(folded, from, to);
        if (now == null) {
            return out;
        }
        List<Found> relative = relative(folded, from, to, now);
        if (relative.isEmpty()) {
            return out;
        }
        List<Found> all = new ArrayList<>(out);
        for (Found r : relative) {
            if (out.stream().noneMatch(a -> a.start() < r.end() && r.start() < a.end())) {
                all.add(r);
            }
        }
        all.sort(java.util.Comparator.comparingInt(Found::start));
        return all;
    }

    private static List<Found> relative(String folded, int from, int to, java.time.LocalDate now) {
        List<Found> out = new ArrayList<>();
        // the words each pattern starts with, looked for between from and to only (not to the end of the text:
        // that made reading a long text cost the square of its length)
        if (Texts.contains(folded, "depuis", from, to) || Texts.contains(folded, "since", from, to)
                || Texts.contains(folded, "from", from, to) || Texts.contains(folded, "a partir", from, to)) {
            Matcher m = MONTH_SINCE.matcher(folded);
            m.region(from, to);
            m.useTransparentBounds(true);
            while (m.find()) {
                int month = MONTHS.get(m.group("mo"));
                java.time.LocalDate d = now.withDayOfMonth(1).withMonth(month);
                if (d.isAfter(now)) {
                    d = d.minusYears(1);
                }
                out.add(new Found(new PartialDate(d, PartialDate.Precision.MONTH), m.start("d"), m.end("d"), true));
            }
        }
        if (!Texts.contains(folded, "il y a", from, to) && !Texts.contains(folded, "ago", from, to)) {
            return out;
        }
        for (Pattern p : new Pattern[] {AGO_FR, AGO_EN}) {
            Matcher m = p.matcher(folded);
            m.region(from, to);
            m.useTransparentBounds(true);
            while (m.find()) {
                double count = m.group("n") != null ? Double.parseDouble(m.group("n").replace(',', '.'))
                        : NUMBER_WORDS.get(m.group("w"));
                int extraMonths = m.group("m") == null ? 0 : Integer.parseInt(m.group("m"));
                PartialDate d = back(now, count + (m.group("h") != null ? 0.5 : 0), m.group("u"), extraMonths);
                if (d != null) {
                    out.add(new Found(d, m.start(), m.end(), true));
                }
            }
        }
        return out;
    }

    /**
     * The date {@code count} units (a decimal: "1,5 an", "and a half") and {@code extraMonths} months ("un an et 3
     * mois", with years only) before {@code now} (the day counted from); null for a count no clinician writes.
     */
    private static PartialDate back(java.time.LocalDate now, double count, String unit, int extraMonths) {
        char u = unit.charAt(0);
        if (u == 'j' || u == 'd') { // jours, j, days, d
            return count > 366 ? null : new PartialDate(now.minusDays(Math.round(count)), PartialDate.Precision.DAY);
        }
        if (u == 's' || u == 'w') { // semaines, sem, weeks, wks
            return count > 104 ? null : new PartialDate(now.minusDays(Math.round(count * 7)),
                    PartialDate.Precision.DAY);
        }
        if (u == 'm') { // mois, months, mos
            if (count > 240) {
                return null;
            }
            long whole = (long) Math.floor(count);
            java.time.LocalDate d = now.minusMonths(whole).minusDays(Math.round((count - whole) * 30));
            return new PartialDate(d.withDayOfMonth(1), PartialDate.Precision.MONTH);
        }
        // ans, annees, years, yrs, y
        if (count > 60) {
            return null;
        }
        long months = Math.round(count * 12) + extraMonths;
        return new PartialDate(now.minusMonths(months).withDayOfMonth(1), PartialDate.Precision.MONTH);
    }

    private static List<Found> absolute(String folded, int from, int to) {
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
                out.add(new Found(d, m.start(), m.end(), false));
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
