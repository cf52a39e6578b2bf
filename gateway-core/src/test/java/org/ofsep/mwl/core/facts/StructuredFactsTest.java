package org.ofsep.mwl.core.facts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ofsep.mwl.core.domain.Fact;

/** LOINC observations with UCUM units, CKD-EPI 2021, the never-guess unit rule, structured beats text. */
class StructuredFactsTest {

    private static Fact fact(ClinicalFacts f, String name) {
        return f.facts().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '|', value = {
            "62238-1|24|mL/min/{1.73_m2}", "33914-3|24|mL/min/1.73m2", "98979-8|24|mL/min/{1.73_m2}",
            "48642-3|24|mL/min/1.73.m2", "48643-1|24|", "50044-7|24|mL/min/1,73m²", "77147-7|24|ML/MIN/1.73M2",
            "88293-6|24|mL/min/{1.73_m2}", "88294-4|24|mL/min/{1.73_m2}"})
    void everyConfiguredEgfrCode(String code, String value, String unit) {
        ClinicalFacts f = FactsFixture.text(null).loinc(code, "NM", value, unit).read();
        assertThat(f.egfr()).isEqualByComparingTo(value);
        assertThat(fact(f, "egfr").source()).isEqualTo("OBX-5 LN " + code);
    }

    @Test
    void anEgfrInAnUnknownUnitIsNotUsedAndTheNoteSaysWhy() {
        ClinicalFacts f = FactsFixture.text(null).loinc("62238-1", "NM", "24", "mL/s").read();
        assertThat(f.egfr()).isNull();
        assertThat(f.notes()).anyMatch(n -> n.contains("'mL/s' is not one the mapping lists") && n.contains("never guesses"));
    }

    @Test
    void creatinineInUmolPerLitreGivesCkdEpi2021AtTheExamDate() {
        // 250 umol/L, woman born 1949-06-01: 76 at the exam (2026-03-16)
        ClinicalFacts f = FactsFixture.text(null).patient(LocalDate.of(1949, 6, 1), "F")
                .loinc("14682-9", "NM", "250", "umol/L").read();
        assertThat(f.egfr()).isEqualByComparingTo("16.8");
        Fact e = fact(f, "egfr");
        assertThat(e.value()).contains("computed with CKD-EPI 2021 from creatinine 250 umol/L, age 76, female");
        assertThat(e.source()).isEqualTo("OBX-5 LN 14682-9, PID-7, PID-8");
        ClinicalFacts mu = FactsFixture.text(null).patient(LocalDate.of(1949, 6, 1), "F")
                .loinc("38483-4", "NM", "250", "µmol/L").read();
        assertThat(mu.egfr()).isEqualByComparingTo("16.8");
    }

    @Test
    void creatinineInMgPerDlForAMan() {
        // 1.2 mg/dL, man of 51 at the exam: 142 x (1.2/0.9)^-1.2 x 0.9938^51 = 73.2
        ClinicalFacts f = FactsFixture.text(null).patient(LocalDate.of(1975, 1, 1), "M")
                .loinc("2160-0", "NM", "1.2", "mg/dL").read();
        assertThat(f.egfr()).isEqualByComparingTo("73.2");
    }

    @Test
    void ckdEpiCoefficients() {
        // below kappa: the alpha term; female 0.6 mg/dL at 40: 142 x (0.6/0.7)^-0.241 x 0.9938^40 x 1.012
        assertThat(CkdEpi2021.egfr(0.6, 40, true)).isEqualByComparingTo("116.3");
        assertThat(CkdEpi2021.egfr(0.9, 40, false)).isEqualByComparingTo("110.7");
    }

    @Test
    void creatinineWithoutUnitOrSexOrAgeIsNotTurnedIntoAnEgfr() {
        assertThat(FactsFixture.text(null).loinc("2160-0", "NM", "2.1", null).read().egfr()).isNull();
        ClinicalFacts u = FactsFixture.text(null).patient(LocalDate.of(1960, 1, 1), "U")
                .loinc("2160-0", "NM", "2.1", "mg/dL").read();
        assertThat(u.egfr()).isNull();
        assertThat(u.notes()).anyMatch(n -> n.contains("PID-8"));
        ClinicalFacts b = FactsFixture.text(null).patient(null, "F").loinc("2160-0", "NM", "2.1", "mg/dL").read();
        assertThat(b.notes()).anyMatch(n -> n.contains("PID-7"));
    }

    @Test
    void creatinineWrittenInTheTextIsComputedToo() {
        ClinicalFacts f = FactsFixture.text("Créatinine 250 µmol/L").patient(LocalDate.of(1949, 6, 1), "F").read();
        assertThat(f.egfr()).isEqualByComparingTo("16.8");
        ClinicalFacts n = FactsFixture.text("créatinine 250").read();
        assertThat(n.egfr()).isNull();
        assertThat(n.notes()).anyMatch(x -> x.contains("no unit"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "82810-3|LA15173-0|true", "82810-3|LA26683-5|false", "11449-6|Y|true", "11449-6|N|false",
            "82810-3|yes|true", "2106-3|POS|true", "2118-8|NEG|false", "2106-3|LA6576-8|true"})
    void codedPregnancyAndHcg(String code, String value, boolean pregnant) {
        assertThat(FactsFixture.text(null).loinc(code, "CWE", value, null).read().pregnant()).isEqualTo(pregnant);
    }

    @Test
    void quantitativeHcg() {
        assertThat(FactsFixture.text(null).loinc("19080-1", "NM", "1250", "m[IU]/mL").read().pregnant()).isTrue();
        assertThat(FactsFixture.text(null).loinc("19080-1", "NM", "<2", "[IU]/L").read().pregnant()).isFalse();
        assertThat(FactsFixture.text(null).loinc("19080-1", "NM", "1250", "ng/mL").read().pregnant()).isNull();
    }

    @Test
    void weightCodesAndUnitsWithOneRuleForAnUnknownUnit() {
        assertThat(FactsFixture.text(null).loinc("3141-9", "NM", "154", "[lb_av]").read().weightKg()).isCloseTo(69.853, org.assertj.core.data.Offset.offset(0.001));
        assertThat(FactsFixture.text(null).loinc("8335-2", "NM", "72000", "g").read().weightKg()).isEqualTo(72.0);
        assertThat(FactsFixture.text(null).loinc("29463-7", "NM", "72", null).read().weightKg()).isEqualTo(72.0);
        ClinicalFacts st = FactsFixture.text(null).loinc("29463-7", "NM", "11", "st").read();
        assertThat(st.weightKg()).isNull();
        assertThat(st.weightObserved()).isTrue();
        assertThat(st.notes()).anyMatch(n -> n.contains("'st'"));
    }

    @Test
    void structuredBeatsTextAndTheConflictIsReported() {
        ClinicalFacts f = FactsFixture.text("DFG 25 mL/min").loinc("62238-1", "NM", "62", "mL/min/{1.73_m2}").read();
        assertThat(f.egfr()).isEqualByComparingTo("62");
        assertThat(f.conflicts()).singleElement().asString()
                .contains("eGFR 62 mL/min/1.73m2 (OBX-5 LN 62238-1)").contains("OBR-13").contains("structured value is used");

        // pregnancy is the exception: a pregnancy the text states against a coded "not pregnant" is kept (the
        // risky reading), with the conflict; a coded pregnancy is kept against a text denial as any structured value
        ClinicalFacts p = FactsFixture.text("grossesse en cours").loinc("82810-3", "CWE", "LA26683-5", null).read();
        assertThat(p.pregnant()).isTrue();
        assertThat(p.conflicts()).singleElement().asString().contains("pregnancy no (OBX-5 LN 82810-3)")
                .contains("the pregnancy is kept");
        ClinicalFacts coded = FactsFixture.text("pas de grossesse").loinc("82810-3", "CWE", "LA15173-0", null).read();
        assertThat(coded.pregnant()).isTrue();
        assertThat(coded.conflicts()).singleElement().asString().contains("structured value is used");

        ClinicalFacts same = FactsFixture.text("DFG 61").loinc("62238-1", "NM", "62", null).read();
        assertThat(same.conflicts()).isEmpty();
    }
}
