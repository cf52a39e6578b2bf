package org.ofsep.mwl.core.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one person-name normal form (stored names, SQL keys, in-memory matching) and the fold for fuzzy matching. */
class PersonNamesTest {

    @Test
    void trailingEmptyComponentsAndGroupsAreDropped() {
        assertThat(PersonNames.normalForm("DOE^JOHN^^^")).isEqualTo("DOE^JOHN");
        assertThat(PersonNames.normalForm(" DOE^JOHN^ ^ ")).isEqualTo("DOE^JOHN");
        assertThat(PersonNames.normalForm("DOE^JOHN^^=ドウ^ジョン^^=")).isEqualTo("DOE^JOHN=ドウ^ジョン");
        assertThat(PersonNames.normalForm("DOE^JOHN==")).isEqualTo("DOE^JOHN");
        assertThat(PersonNames.normalForm("=ドウ")).isEqualTo("=ドウ");
        // inner empty components keep their place
        assertThat(PersonNames.normalForm("DOE^^MARIE")).isEqualTo("DOE^^MARIE");
    }

    @Test
    void nothingLeftIsNullAndWildcardsStay() {
        assertThat(PersonNames.normalForm(null)).isNull();
        assertThat(PersonNames.normalForm("   ")).isNull();
        assertThat(PersonNames.normalForm("^^^")).isNull();
        assertThat(PersonNames.normalForm("^=^")).isNull();
        assertThat(PersonNames.normalForm("DUP*^")).isEqualTo("DUP*");
        assertThat(PersonNames.normalForm("D?PRE^*")).isEqualTo("D?PRE^*");
    }

    @Test
    void foldIsUpperCaseWithoutDiacritics() {
        assertThat(PersonNames.fold("Dupré^Hélène")).isEqualTo("DUPRE^HELENE");
        assertThat(PersonNames.fold("Œuvre^Straße")).isEqualTo("OEUVRE^STRASSE");
        assertThat(PersonNames.fold(null)).isNull();
    }
}
