package org.ofsep.mwl.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Issue 16 #11: an HL7 time with an offset is the same instant in the site's time zone. */
class Hl7DatesTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Test
    void anOffsetIsConvertedToTheSiteTimeZone() {
        assertThat(Hl7Dates.dateTime("202612041300+0100", "TQ1-7", ZoneOffset.UTC))
                .isEqualTo(LocalDateTime.of(2026, 12, 4, 12, 0));
        assertThat(Hl7Dates.dateTime("202612042330-0500", "TQ1-7", ZoneOffset.UTC))
                .isEqualTo(LocalDateTime.of(2026, 12, 5, 4, 30));
        // Paris is +01:00 in December and +02:00 in July
        assertThat(Hl7Dates.dateTime("202612041300+0000", "TQ1-7", PARIS))
                .isEqualTo(LocalDateTime.of(2026, 12, 4, 14, 0));
        assertThat(Hl7Dates.dateTime("20260704130000.123+0000", "TQ1-7", PARIS))
                .isEqualTo(LocalDateTime.of(2026, 7, 4, 15, 0));
        assertThat(Hl7Dates.dateTime("202612041300+0100", "TQ1-7", PARIS))
                .isEqualTo(LocalDateTime.of(2026, 12, 4, 13, 0));
        assertThat(Hl7Dates.dateTime("202612041300-0330", "TQ1-7", ZoneOffset.UTC))
                .isEqualTo(LocalDateTime.of(2026, 12, 4, 16, 30));
    }

    @Test
    void aTimeWithoutOffsetIsTheSitesLocalTimeAndADateIsNeverShifted() {
        assertThat(Hl7Dates.dateTime("202612041300", "TQ1-7", PARIS)).isEqualTo(LocalDateTime.of(2026, 12, 4, 13, 0));
        assertThat(Hl7Dates.dateTime("20261204-0500", "TQ1-7", ZoneOffset.UTC))
                .isEqualTo(LocalDateTime.of(2026, 12, 4, 0, 0));
        assertThat(Hl7Dates.date("19800115+0100", "PID-7")).isEqualTo(LocalDate.of(1980, 1, 15));
        assertThat(Hl7Dates.dateTime("202612041300+0100", "TQ1-7")).isEqualTo(LocalDateTime.of(2026, 12, 4, 13, 0));
    }

    @Test
    void aMalformedOffsetIsRefusedNamingTheField() {
        assertThatThrownBy(() -> Hl7Dates.dateTime("202612041300+01", "TQ1-7", ZoneOffset.UTC))
                .isInstanceOfSatisfying(Hl7MessageException.class, e -> {
                    assertThat(e.location()).isEqualTo("TQ1-7");
                    assertThat(e.errorCode()).isEqualTo(Hl7MessageException.DATA_TYPE_ERROR);
                });
        assertThatThrownBy(() -> Hl7Dates.dateTime("202612041300+2500", "TQ1-7", ZoneOffset.UTC))
                .isInstanceOf(Hl7MessageException.class);
    }
}
