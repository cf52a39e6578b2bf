package org.ofsep.mwl.dicom.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** DA and TM values are written as the PS3.5 patterns say, whatever the date (the writer avoids the formatter). */
class DateTimesTest {

    @Test
    void datesAreWrittenAsTheYyyyMmDdPattern() {
        DateTimeFormatter da = DateTimeFormatter.ofPattern("yyyyMMdd");
        for (LocalDate d : new LocalDate[] {LocalDate.of(1, 1, 1), LocalDate.of(5, 6, 7), LocalDate.of(999, 12, 31),
                LocalDate.of(1900, 2, 28), LocalDate.of(2026, 11, 25), LocalDate.of(9999, 12, 31),
                LocalDate.of(0, 1, 1), LocalDate.of(-44, 3, 15), LocalDate.of(10000, 1, 1)}) {
            assertThat(DateTimes.formatDate(d)).as("%s", d).isEqualTo(da.format(d));
        }
        for (LocalDate d = LocalDate.of(1999, 12, 1); d.isBefore(LocalDate.of(2001, 3, 1)); d = d.plusDays(1)) {
            assertThat(DateTimes.formatDate(d)).isEqualTo(da.format(d));
        }
        assertThat(DateTimes.formatDate(null)).isNull();
    }

    @Test
    void timesAreWrittenAsTheHhMmSsPattern() {
        DateTimeFormatter tm = DateTimeFormatter.ofPattern("HHmmss");
        for (int s = 0; s < 24 * 3600; s += 7) {
            LocalTime t = LocalTime.ofSecondOfDay(s).withNano(s % 3 == 0 ? 999_999_999 : 0);
            assertThat(DateTimes.formatTime(t)).isEqualTo(tm.format(t));
        }
        assertThat(DateTimes.formatTime(null)).isNull();
    }
}
