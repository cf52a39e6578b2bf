package org.ofsep.mwl.core.domain;

import java.time.LocalDate;

/**
 * A date as people write it, to the day, the month or the year. {@link #date()} is its first day (a treatment
 * "since 2022" counts from 2022-01-01), {@link #toString()} keeps the precision ("2022", "2022-03", "2022-03-15").
 */
public record PartialDate(LocalDate date, Precision precision) {

    public enum Precision { DAY, MONTH, YEAR }

    public static PartialDate of(int year, Integer month, Integer day) {
        if (month == null) {
            return new PartialDate(LocalDate.of(year, 1, 1), Precision.YEAR);
        }
        if (day == null) {
            return new PartialDate(LocalDate.of(year, month, 1), Precision.MONTH);
        }
        return new PartialDate(LocalDate.of(year, month, day), Precision.DAY);
    }

    /** The last day the date may stand for (end of the month or year when that is all that was written). */
    public LocalDate lastDay() {
        return switch (precision) {
            case DAY -> date;
            case MONTH -> date.withDayOfMonth(date.lengthOfMonth());
            case YEAR -> date.withDayOfYear(date.lengthOfYear());
        };
    }

    @Override
    public String toString() {
        return switch (precision) {
            case DAY -> date.toString();
            case MONTH -> date.toString().substring(0, 7);
            case YEAR -> String.valueOf(date.getYear());
        };
    }
}
