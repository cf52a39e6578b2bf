package org.ofsep.mwl.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ofsep.mwl.core.text.TextMatch;

/** The text normalisation behind keyword matching (OBX dates and numbers are typed by gateway-hl7: Hl7ObservationValuesTest). */
class ObservationValuesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {"Poussée|poussee", "SCLÉROSE  EN\tPLAQUES|sclerose en plaques",
            "cœur|coeur", "L’IRM|l'irm"})
    void normalisation(String text, String expected) {
        assertThat(TextMatch.normalize(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\" contains \"{1}\": {2}")
    @CsvSource(delimiter = '|', value = {"Suivi MS|MS|true", "Mme SMITH|MS|false", "MS-related|MS|true",
            "MSc|MS|false", "poussée|poussee|true", "poussées|poussée|true", "septembre|SEP|false", "SEPs|SEP|false", "new DMT started|new dmt|true",
            "infection intercurrente|intercurrent|true", "suspectées|suspecté|true"})
    void wholeWords(String text, String keyword, boolean expected) {
        assertThat(TextMatch.containsWord(text, keyword)).isEqualTo(expected);
    }
}
