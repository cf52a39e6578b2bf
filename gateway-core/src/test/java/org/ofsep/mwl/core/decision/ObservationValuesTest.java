package org.ofsep.mwl.core.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ofsep.mwl.core.text.TextMatch;

/** OBX values as RIS send them, and the text normalisation behind keyword matching. */
class ObservationValuesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"20250131, 2025-01-31", "202501311230, 2025-01-31", "20250131123000+0100, 2025-01-31",
            "2025-01-31, 2025-01-31", "202501, 2025-01-01", "2025, 2025-01-01"})
    void hl7Dates(String value, LocalDate expected) {
        assertThat(ClinicalContext.parseDate(value)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"31/01/2025", "yesterday", "2025013"})
    void notDates(String value) {
        assertThatThrownBy(() -> ClinicalContext.parseDate(value)).isInstanceOf(RuntimeException.class);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {"0.45|0.45", "0,45|0.45", " 1.5 |1.5", "<30|29.999", ">90|90.001",
            ">=30|30"})
    void numbers(String value, BigDecimal expected) {
        assertThat(ClinicalContext.parseNumber(value)).isEqualByComparingTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {"Poussée|poussee", "SCLÉROSE  EN\tPLAQUES|sclerose en plaques",
            "cœur|coeur", "L’IRM|l'irm"})
    void normalisation(String text, String expected) {
        assertThat(TextMatch.normalize(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\" contains \"{1}\": {2}")
    @CsvSource(delimiter = '|', value = {"Suivi MS|MS|true", "Mme SMITH|MS|false", "MS-related|MS|true",
            "MSc|MS|false", "poussée|poussee|true", "poussées|poussée|true", "septembre|SEP|false", "SEPs|SEP|true", "new DMT started|new dmt|true"})
    void wholeWords(String text, String keyword, boolean expected) {
        assertThat(TextMatch.containsWord(text, keyword)).isEqualTo(expected);
    }
}
