package org.ofsep.mwl.dicom.data;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** DA, TM and DT values (PS3.5 Table 6.2-1) to and from java.time, lenient on what consoles really send. */
public final class DateTimes {

    private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss");

    private DateTimes() {
    }

    /** "YYYYMMDD" (also the retired "YYYY.MM.DD"); null when blank or invalid. */
    public static LocalDate parseDate(String da) {
        if (da == null) {
            return null;
        }
        String s = da.strip().replace(".", "");
        if (s.length() != 8) {
            return null;
        }
        try {
            return LocalDate.parse(s, DA);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /**
     * "HH", "HHMM", "HHMMSS" or "HHMMSS.FFFFFF" (also the retired "HH:MM:SS"); missing parts are zero. Null when
     * blank or invalid.
     */
    public static LocalTime parseTime(String tm) {
        return parseTime(tm, false);
    }

    /**
     * Like {@link #parseTime(String)}, but with {@code upperBound} missing parts are the end of the period:
     * "09" as an upper bound means 09:59:59.999999 (for range matching).
     */
    public static LocalTime parseTime(String tm, boolean upperBound) {
        if (tm == null) {
            return null;
        }
        String s = tm.strip().replace(":", "");
        if (s.isEmpty()) {
            return null;
        }
        try {
            String whole = s;
            String fraction = "";
            int dot = s.indexOf('.');
            if (dot >= 0) {
                whole = s.substring(0, dot);
                fraction = s.substring(dot + 1);
            }
            if (whole.length() < 2 || whole.length() > 6 || (whole.length() & 1) == 1
                    || !whole.chars().allMatch(Character::isDigit) || !fraction.chars().allMatch(Character::isDigit)
                    || fraction.length() > 6) {
                return null;
            }
            int h = Integer.parseInt(whole.substring(0, 2));
            int m = whole.length() >= 4 ? Integer.parseInt(whole.substring(2, 4)) : (upperBound ? 59 : 0);
            int sec = whole.length() >= 6 ? Integer.parseInt(whole.substring(4, 6)) : (upperBound ? 59 : 0);
            int nanos;
            if (!fraction.isEmpty()) {
                nanos = Integer.parseInt((fraction + "000000").substring(0, 6)) * 1000;
            } else {
                nanos = upperBound ? 999_999_000 : 0;
            }
            if (sec == 60) {
                sec = 59; // leap second
            }
            return LocalTime.of(h, m, sec, nanos);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** DT "YYYYMMDDHHMMSS.FFFFFF&ZZXX" to a local date-time (offset ignored); null when invalid. */
    public static LocalDateTime parseDateTime(String dt) {
        if (dt == null) {
            return null;
        }
        String s = dt.strip();
        int zone = Math.max(s.indexOf('+'), s.indexOf('-'));
        if (zone > 0) {
            s = s.substring(0, zone);
        }
        if (s.length() < 8) {
            return null;
        }
        LocalDate date = parseDate(s.substring(0, 8));
        if (date == null) {
            return null;
        }
        LocalTime time = s.length() > 8 ? parseTime(s.substring(8)) : LocalTime.MIDNIGHT;
        return time == null ? null : LocalDateTime.of(date, time);
    }

    public static String formatDate(LocalDate date) {
        if (date == null) {
            return null;
        }
        int y = date.getYear();
        if (y < 1 || y > 9999) {
            return DA.format(date); // what the pattern does with years it cannot write in 4 digits
        }
        char[] c = new char[8];
        digits(c, 0, y, 4);
        digits(c, 4, date.getMonthValue(), 2);
        digits(c, 6, date.getDayOfMonth(), 2);
        return new String(c);
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** "HHMMSS" (the fraction is dropped: consoles display seconds at most). */
    public static String formatTime(LocalTime time) {
        if (time == null) {
            return null;
        }
        char[] c = new char[6];
        digits(c, 0, time.getHour(), 2);
        digits(c, 2, time.getMinute(), 2);
        digits(c, 4, time.getSecond(), 2);
        return new String(c);
    }
}
