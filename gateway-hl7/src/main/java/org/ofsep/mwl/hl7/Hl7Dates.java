package org.ofsep.mwl.hl7;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.regex.Pattern;
import org.ofsep.mwl.core.domain.PartialDate;

/**
 * HL7 DT/TS/DTM values: YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]. DICOM dates and times (the worklist's) are
 * the site's local time: a time without an offset is taken as the RIS wrote it (local), a time with an offset
 * ({@code 202612041300+0100}) is converted to the site's time zone, so it is the same instant, possibly another day.
 * A date without a time is a calendar date and is never shifted.
 */
public final class Hl7Dates {

    // compiled once: every OBX-5 of every order is tried (String.matches would compile on each call)
    private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}.*");
    private static final Pattern HL7_DAY = Pattern.compile("\\d{8}([0-9+\\-.].*)?");
    private static final Pattern YEAR_MONTH = Pattern.compile("\\d{6}");
    private static final Pattern YEAR = Pattern.compile("\\d{4}");

    private Hl7Dates() {
    }

    /**
     * An observation value (OBX-5) read as a date, as RIS send them: HL7 DT/TS/DTM to the day, month or year
     * ({@code 20250131}, {@code 20250131123000+0100}: the date as written, {@code 202501}, {@code 2025}), or the
     * ISO form {@code 2025-01-31} some RIS put in ST. Lenient: a value that is not one of these is null (the
     * decision notes it when it needed a date), never a refusal of the order.
     */
    public static PartialDate observationDate(String value) {
        if (value == null) {
            return null;
        }
        String s = value.trim();
        try {
            if (ISO_DATE.matcher(s).matches()) {
                return PartialDate.of(Integer.parseInt(s.substring(0, 4)), Integer.parseInt(s.substring(5, 7)),
                        Integer.parseInt(s.substring(8, 10)));
            }
            if (HL7_DAY.matcher(s).matches()) {
                return PartialDate.of(Integer.parseInt(s.substring(0, 4)), Integer.parseInt(s.substring(4, 6)),
                        Integer.parseInt(s.substring(6, 8)));
            }
            if (YEAR_MONTH.matcher(s).matches()) {
                return PartialDate.of(Integer.parseInt(s.substring(0, 4)), Integer.parseInt(s.substring(4, 6)), null);
            }
            if (YEAR.matcher(s).matches()) {
                return PartialDate.of(Integer.parseInt(s), null, null);
            }
        } catch (DateTimeException e) {
            return null; // 20251341: digits, not a date
        }
        return null;
    }

    /**
     * @return the date-time, or null when {@code value} is empty
     * @throws Hl7MessageException AE naming {@code location} when the value is not an HL7 date/time with at least
     *                             a day
     */
    public static LocalDateTime dateTime(String value, String location) {
        return dateTime(value, location, null);
    }

    /**
     * @param siteZone the zone of the site's local times; null leaves an offset unconverted (the local time as
     *                 written)
     * @return the date-time in the site's time zone, or null when {@code value} is empty
     * @throws Hl7MessageException AE naming {@code location} when the value is not an HL7 date/time with at least
     *                             a day, or its offset is malformed
     */
    public static LocalDateTime dateTime(String value, String location, ZoneId siteZone) {
        LocalDateTime local = localDateTime(value, location);
        if (local == null || siteZone == null) {
            return local;
        }
        String v = value.trim();
        int sign = Math.max(v.indexOf('+'), v.indexOf('-'));
        if (sign < 0 || stripZoneAndFraction(v).length() < 10) {
            return local; // no offset, or a date without a time: nothing to convert
        }
        String zone = v.substring(sign);
        if (!ZONE.matcher(zone).matches()) {
            throw Hl7MessageException.badValue(location, shown(value, location)
                    + " has a malformed time zone offset (+/-HHMM)");
        }
        ZoneOffset offset;
        try {
            offset = ZoneOffset.ofHoursMinutes(Integer.parseInt(zone.substring(0, 3)),
                    (zone.charAt(0) == '-' ? -1 : 1) * Integer.parseInt(zone.substring(3, 5)));
        } catch (DateTimeException e) {
            throw Hl7MessageException.badValue(location, shown(value, location) + " has an invalid time zone offset");
        }
        return local.atOffset(offset).atZoneSameInstant(siteZone).toLocalDateTime();
    }

    private static LocalDateTime localDateTime(String value, String location) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String digits = stripZoneAndFraction(value.trim());
        if (!DATE_TIME.matcher(digits).matches()) {
            throw Hl7MessageException.badValue(location, shown(value, location)
                    + " is not an HL7 date/time (YYYYMMDD[HHMM[SS]])");
        }
        try {
            int year = Integer.parseInt(digits.substring(0, 4));
            int month = Integer.parseInt(digits.substring(4, 6));
            int day = Integer.parseInt(digits.substring(6, 8));
            int hour = digits.length() >= 10 ? Integer.parseInt(digits.substring(8, 10)) : 0;
            int minute = digits.length() >= 12 ? Integer.parseInt(digits.substring(10, 12)) : 0;
            int second = digits.length() >= 14 ? Integer.parseInt(digits.substring(12, 14)) : 0;
            return LocalDateTime.of(year, month, day, hour, minute, second);
        } catch (DateTimeException e) {
            throw Hl7MessageException.badValue(location, shown(value, location) + " is not a valid date/time");
        }
    }

    // compiled once: String.matches compiles its regex on every call (every date of every order)
    private static final java.util.regex.Pattern ZONE = java.util.regex.Pattern.compile("[+-]\\d{4}");
    private static final java.util.regex.Pattern DATE_TIME = java.util.regex.Pattern.compile("\\d{8}(\\d{2}){0,3}");
    private static final java.util.regex.Pattern PARTIAL_DATE = java.util.regex.Pattern.compile("\\d{4}(\\d{2})?");

    /** A date (time part ignored), null when empty or when only a year or month is given. */
    public static LocalDate date(String value, String location) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String digits = stripZoneAndFraction(value.trim());
        if (PARTIAL_DATE.matcher(digits).matches()) {
            return null; // partial date: DICOM cannot carry it as a DA, keep it unknown
        }
        LocalDateTime dt = dateTime(value, location);
        return dt == null ? null : dt.toLocalDate();
    }

    /** The value quoted, except in patient fields: a birth date never goes to the logs. */
    private static String shown(String value, String location) {
        return location.startsWith("PID") ? "the value" : "'" + value + "'";
    }

    private static String stripZoneAndFraction(String v) {
        int cut = v.length();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '+' || c == '-' || c == '.') {
                cut = i;
                break;
            }
        }
        return v.substring(0, cut);
    }
}
