package org.ofsep.mwl.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.order.TypedObx;

/** The decision on orders written the way RIS write them: standard observations and free text, traced. */
class FactsDecisionTest {

    private static OrderFixture text(String obr13) {
        OrderFixture f = OrderFixture.bare();
        f.clinicalInfo = obr13;
        return f;
    }

    private static OrderFixture loinc(OrderFixture f, String code, String type, String value, String unit) {
        f.obx.add(TypedObx.of(code, "LN", type, value, unit));
        return f;
    }

    @Test
    void stableOcrelizumabWithAPreviousMriWith3dFlairGetsRoutineWithoutGd() {
        Decision d = EngineHarness.decide(text("SEP RR sous Ocrevus depuis mars 2022, clinique stable. Dernière IRM"
                + " 11/2025 avec 3D FLAIR, IRM médullaire 06/2024."));
        assertThat(d.examCard()).isEqualTo(ExamCard.ROUTINE);
        assertThat(d.contrast()).isFalse();
        assertThat(d.reasons()).anyMatch(r -> r.equals("Fact: treatment ocrelizumab (OBR-13: \"SEP RR sous Ocrevus"
                + " depuis mars 2022, clinique stable.\")."));
        assertThat(d.reasons()).anyMatch(r -> r.startsWith("Fact: treatment start 2022-03 (OBR-13"));
        assertThat(d.reasons()).anyMatch(r -> r.startsWith("Fact: previous brain MRI 2025-11 (OBR-13"));
        assertThat(d.facts()).extracting(f -> f.name()).contains("treatment", "treatmentStart", "priorBrainMri",
                "priorMri3dFlair", "lastSpineMri");
        assertThat(d.spineDue()).isFalse();
    }

    @Test
    void natalizumabPast18MonthsWithAPositiveJcvGetsThePmlShortCard() {
        Decision d = EngineHarness.decide(text("Tysabri depuis 01/2023. JCV positif, index 1,8. Dernière IRM 12/2025"
                + " protocole OFSEP."));
        assertThat(d.examCard()).isEqualTo(ExamCard.PML_SHORT);
        assertThat(d.contrast()).isFalse();
        assertThat(d.rule()).isEqualTo(org.ofsep.mwl.core.domain.RuleId.PML_SCREENING);
        assertThat(d.reasons()).anyMatch(r -> r.startsWith("Fact: JCV index 1.8 (OBR-13"));
    }

    /**
     * A lab's list of dated JCV results pasted into the order: the newest result decides. Reading the first
     * (older) one gave the routine card to a natalizumab patient whose serology had turned positive.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "Tysabri depuis 01/2023. JCV : 2022 : négatif ; 10/2025 : positif. Dernière IRM 12/2025 protocole OFSEP.",
            "Tysabri depuis 01/2023. Index JCV : 03/2025 0,3 ; 11/2025 1,8. Dernière IRM 12/2025 protocole OFSEP."})
    void theNewestOfDatedJcvResultsGivesThePmlShortCard(String obr13) {
        Decision d = EngineHarness.decide(text(obr13));
        assertThat(d.examCard()).as(obr13).isEqualTo(ExamCard.PML_SHORT);
        assertThat(d.rule()).isEqualTo(org.ofsep.mwl.core.domain.RuleId.PML_SCREENING);
    }

    @Test
    void egfrAsLoinc62238WithGdRaisesTheAlert() {
        Decision d = EngineHarness.decide(loinc(text("bilan initial, suspicion de SEP"), "62238-1", "NM", "24",
                "mL/min/{1.73_m2}"));
        assertThat(d.contrast()).isTrue();
        assertThat(d.alerts()).anyMatch(a -> a.startsWith("Gd with eGFR 24 < 30"));
        assertThat(d.reasons()).anyMatch(r -> r.equals("Fact: eGFR 24 mL/min/1.73m2 (OBX-5 LN 62238-1: \"24"
                + " mL/min/{1.73_m2}\")."));
    }

    /**
     * An eGFR known only as an upper bound ("<60", as laboratories write results past their range) may be far
     * below 30: Gd must not go unflagged. It was compared as 59.999, above 30, and no alert was raised; and "<30"
     * read "eGFR 30 < 30". The same for a creatinine known only as a lower bound, whose eGFR is an upper bound.
     */
    @Test
    void anEgfrKnownOnlyAsAnUpperBoundRaisesTheAlertUnlessTheBoundIsSafe() {
        Decision lt60 = EngineHarness.decide(loinc(text("bilan initial, suspicion de SEP"), "62238-1", "NM", "<60",
                "mL/min/{1.73_m2}"));
        assertThat(lt60.contrast()).isTrue();
        assertThat(lt60.alerts()).contains("Gd with eGFR <60, maybe < 30: radiologist to confirm");
        assertThat(lt60.reasons()).anyMatch(r -> r.startsWith("Fact: eGFR <60 mL/min/1.73m2 (OBX-5 LN 62238-1"));
        Decision lt30 = EngineHarness.decide(loinc(text("bilan initial, suspicion de SEP"), "62238-1", "NM", "<30",
                "mL/min/{1.73_m2}"));
        assertThat(lt30.alerts()).contains("Gd with eGFR <30: radiologist to confirm");
        Decision written = EngineHarness.decide(text("Bilan initial SEP. DFG < 60 mL/min"));
        assertThat(written.alerts()).contains("Gd with eGFR <60, maybe < 30: radiologist to confirm");
        OrderFixture creat = loinc(text("bilan initial"), "14682-9", "NM", ">100", "umol/L");
        creat.birthDate = LocalDate.of(1949, 6, 1);
        assertThat(EngineHarness.decide(creat).alerts()).anyMatch(a -> a.startsWith("Gd with eGFR <")
                && a.contains("maybe < 30"));
        // a lower bound above the threshold is safe: no alert
        Decision gt90 = EngineHarness.decide(loinc(text("bilan initial, suspicion de SEP"), "62238-1", "NM", ">90",
                "mL/min/{1.73_m2}"));
        assertThat(gt90.alerts()).noneMatch(a -> a.startsWith("Gd with eGFR"));
    }

    @Test
    void creatinineOfAWomanOf76GivesACkdEpiEgfrAndTheAlert() {
        OrderFixture f = loinc(text("bilan initial"), "14682-9", "NM", "250", "umol/L");
        f.birthDate = LocalDate.of(1949, 6, 1);
        Decision d = EngineHarness.decide(f);
        assertThat(d.alerts()).anyMatch(a -> a.startsWith("Gd with eGFR 17 < 30"));
        assertThat(d.reasons()).anyMatch(r -> r.contains("eGFR 16.8 mL/min/1.73m2 computed with CKD-EPI 2021 from"
                + " creatinine 250 umol/L, age 76, female"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"DFG 25 mL/min", "grossesse en cours", "Patiente enceinte, bilan initial SEP",
            "pregnant, 14 weeks"})
    void textSafetyFactsRaiseTheAlertWithGd(String words) {
        Decision d = EngineHarness.decide(text("Bilan initial SEP. " + words));
        assertThat(d.contrast()).isTrue();
        assertThat(d.alerts()).anyMatch(a -> a.startsWith("Gd with eGFR 25") || a.startsWith("Gd in pregnancy"));
    }

    @Test
    void codedPregnancyRaisesTheAlert() {
        Decision d = EngineHarness.decide(loinc(text("bilan initial"), "82810-3", "CWE", "LA15173-0", null));
        assertThat(d.alerts()).contains("Gd in pregnancy: radiologist to confirm");
        Decision h = EngineHarness.decide(loinc(text("bilan initial"), "2106-3", "CWE", "POS", null));
        assertThat(h.alerts()).contains("Gd in pregnancy: radiologist to confirm");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pas de grossesse", "non enceinte", "not pregnant", "grossesse : non"})
    void aNegatedPregnancyNeverAlerts(String words) {
        Decision d = EngineHarness.decide(text("Bilan initial SEP, " + words));
        assertThat(d.contrast()).isTrue();
        assertThat(d.alerts()).noneMatch(a -> a.contains("pregnancy"));
    }

    @Test
    void aConflictBetweenStructuredAndTextIsAnAlertAndTheStructuredValueWins() {
        Decision d = EngineHarness.decide(loinc(text("bilan initial, DFG 25 mL/min"), "62238-1", "NM", "75", null));
        assertThat(d.alerts()).anyMatch(a -> a.startsWith("Conflict: eGFR 75"));
        assertThat(d.alerts()).noneMatch(a -> a.startsWith("Gd with eGFR"));
    }

    @Test
    void aPlannedTreatmentStartIsABaselineWithGd() {
        Decision d = EngineHarness.decide(text("IRM de référence avant Kesimpta, début prévu le 15/05/2026. Dernière"
                + " IRM 10/2025 avec 3D FLAIR."));
        assertThat(d.rule()).isEqualTo(org.ofsep.mwl.core.domain.RuleId.NEW_DMT);
        assertThat(d.contrast()).isTrue();
    }

    @Test
    void aPreviousMriWithout3dFlairIsNotComparable() {
        Decision d = EngineHarness.decide(text("Sous Ocrevus depuis 2021. Dernière IRM 11/2025 en ville, sans 3D"
                + " FLAIR."));
        assertThat(d.rule()).isEqualTo(org.ofsep.mwl.core.domain.RuleId.NO_COMPARABLE_PRIOR);
        assertThat(d.contrast()).isTrue();
    }

    @Test
    void decideJsonHasTheFactsObject() {
        Decision d = EngineHarness.decide(text("Tysabri depuis 01/2023. JCV positif, index 1,8."));
        JsonNode facts = DecisionJson.toTree(d).get("facts");
        assertThat(facts.get("treatment").get("value").asText()).isEqualTo("natalizumab");
        assertThat(facts.get("treatment").get("source").asText()).isEqualTo("OBR-13");
        assertThat(facts.get("treatment").get("text").asText()).isEqualTo("Tysabri depuis 01/2023.");
        assertThat(facts.get("jcvIndex").get("value").asText()).isEqualTo("1.8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pas de poussée", "Pas de nouvelle poussée depuis 2 ans", "no relapse", "no new relapse",
            "sans poussée"})
    void aDeniedRelapseIsNotARelapse(String words) {
        Decision d = EngineHarness.decide(text("Sous Ocrevus depuis 2021, " + words + ". Dernière IRM 11/2025 avec 3D"
                + " FLAIR."));
        assertThat(d.rule()).isEqualTo(org.ofsep.mwl.core.domain.RuleId.ROUTINE_FOLLOW_UP);
        Decision r = EngineHarness.decide(text("Sous Ocrevus depuis 2021, poussée récente. Dernière IRM 11/2025 avec"
                + " 3D FLAIR."));
        assertThat(r.rule()).isEqualTo(org.ofsep.mwl.core.domain.RuleId.RELAPSE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Previous MRIs done at another hospital, not available.", "Pas d'IRM antérieure.",
            "IRM précédentes non disponibles.",
            // the apostrophe left out, as typed fast: "pas d IRM" was read as a previous MRI (no Gd at baseline)
            "Bilan SEP, pas d IRM antérieure disponible.", "Absence d IRM antérieure.",
            // with the exam's name between: "examen" was read as the words of a previous MRI
            "Pas d examen IRM antérieur.", "Pas d'examen IRM antérieur.", "Aucun examen IRM antérieur."})
    void previousMrisThatAreNotAvailableAreNotComparable(String words) {
        Decision d = EngineHarness.decide(text("Suivi SEP sous Tecfidera depuis 2019. " + words));
        assertThat(d.rule()).isEqualTo(org.ofsep.mwl.core.domain.RuleId.NO_COMPARABLE_PRIOR);
        assertThat(d.contrast()).isTrue();
    }

    /**
     * "d'" typed without its apostrophe after a denial ("pas d infection") is the denial it is with one: the
     * situation, the renal failure or the allergy was read as stated (Gd for an "intercurrent" infection, a renal
     * alert, a Gd allergy alert).
     */
    @ParameterizedTest
    @ValueSource(strings = {"Pas d infection intercurrente.", "Pas d poussée.", "Pas d insuffisance rénale.",
            "Pas d allergie au gadolinium.", "Pas d'infection intercurrente, pas d allergie connue."})
    void aDenialWithoutItsApostropheIsStillADenial(String words) {
        Decision d = EngineHarness.decide(text("Suivi SEP sous Tecfidera depuis 2019, stable. Dernière IRM 06/2025"
                + " avec 3D FLAIR. " + words));
        assertThat(d.rule()).as(words).isEqualTo(org.ofsep.mwl.core.domain.RuleId.ROUTINE_FOLLOW_UP);
        assertThat(d.contrast()).as(words).isFalse();
        assertThat(d.alerts()).as(words).isEmpty();
    }

    /** The same for the statements that raise a Gd alert: the baseline's Gd is given without one. */
    @ParameterizedTest
    @ValueSource(strings = {"Pas d insuffisance rénale.", "Pas d allergie au gadolinium.",
            "Pas d allergie au gadolinium, pas d insuffisance rénale."})
    void aDenialWithoutItsApostropheRaisesNoGdAlert(String words) {
        Decision d = EngineHarness.decide(text("Suivi SEP sous Tecfidera depuis 2019. Pas d IRM antérieure. " + words));
        assertThat(d.contrast()).as(words).isTrue();
        assertThat(d.alerts()).as(words).isEmpty();
    }

    @Test
    void daysWrittenDStayDays() {
        char[] text = "irm il y a 3 d ago, pas d infection".toCharArray();
        org.ofsep.mwl.core.text.TextMatch.elide(text);
        assertThat(new String(text)).isEqualTo("irm il y a 3 d ago, pas d'infection");
    }
}
