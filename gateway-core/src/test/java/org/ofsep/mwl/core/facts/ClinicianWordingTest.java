package org.ofsep.mwl.core.facts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Wordings found by an independent review of orders written as clinicians and RIS write them (2026-12-06, corpus c91
 * to c148): each read the fact the recommendations need, or was silent before. Exam {@link FactsFixture#EXAM}.
 */
class ClinicianWordingTest {

    @ParameterizedTest(name = "{0} -> pregnant {1}")
    @CsvSource(delimiter = '|', value = {
            "β-HCG plasmatique positif (1250 UI/L)|true",
            "Beta-HCG plasmatique positif|true",
            "BHCG 1250 UI/L|true",
            "hCG 12 mUI/mL|true",
            "bHCG 1 250 UI/L|true",
            "bHCG : 24 500 mUI/mL|true",
            "Positive pregnancy test|true",
            "Pregnancy status unknown|true",
            "Grossesse : ne sait pas|true",
            "LMP 7 weeks ago, pregnancy test pending|true",
            "Test de grossesse en attente|true",
            "BHCG < 2 UI/L|",
            "hCG 4 UI/L|",
            "hCG 0,5 mUI/mL|"})
    void pregnancyAsWritten(String text, Boolean pregnant) {
        assertThat(FactsFixture.text(text).read().pregnant()).isEqualTo(pregnant);
    }

    @ParameterizedTest(name = "{0} -> eGFR {1}")
    @CsvSource(delimiter = '|', value = {
            "Clairance créat (Cockcroft) 25 ml/min|25",
            "Clairance créat 25 ml/min|25",
            "Cl créat 25 ml/min|25",
            "Clairance de la créatinine : 25|25"})
    void creatinineClearanceAsWritten(String text, String egfr) {
        assertThat(FactsFixture.text(text).read().egfr()).isEqualByComparingTo(egfr);
    }

    @ParameterizedTest(name = "{0} -> no pregnancy read")
    @CsvSource(delimiter = '|', value = {
            "Désir de grossesse à court terme, contraception arrêtée",
            "Projet de grossesse en 2027",
            "Planning a pregnancy next year"})
    void aWishOfPregnancyIsNotADenial(String text) {
        // read as "not pregnant", it put PregnancyStatus 1 on the console for a woman who may already be pregnant
        assertThat(FactsFixture.text(text).read().pregnant()).as(text).isNull();
    }

    @org.junit.jupiter.api.Test
    void anHcgInAManIsNotAPregnancy() {
        ClinicalFacts man = FactsFixture.text("beta-HCG 12 UI/L (marqueur tumoral)")
                .patient(LocalDate.of(1980, 1, 1), "M").read();
        assertThat(man.pregnant()).isNull();
        assertThat(man.notes()).anyMatch(n -> n.contains("the patient is male"));
        assertThat(FactsFixture.text("beta-HCG 12 UI/L").patient(LocalDate.of(1990, 1, 1), "F").read().pregnant())
                .isTrue();
    }

    @org.junit.jupiter.api.Test
    void aNewTreatmentPlannedAfterADatedCurrentOneIsTheBaseline() {
        ClinicalFacts f = FactsFixture.text("SEP-RR sous Tecfidera depuis 2019, introduction d'Ocrevus prévue le "
                + "20/04/2026.").read();
        assertThat(f.treatmentStart()).isEqualTo(LocalDate.of(2026, 4, 20));
        assertThat(f.treatmentStartPlanned()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // a plan after the current treatment's date is the next one's, not a plan of that date
            "RRMS on Tecfidera since 2019, to start Ocrevus soon.|2019-01-01|false",
            "SEP sous Copaxone depuis 2018, Kesimpta à débuter|2018-01-01|false",
            // a plan written before or right after the date
            "Ocrevus : première perfusion prévue le 10/03/2026|2026-03-10|true",
            "Ocrevus 10/03/2026 prévu|2026-03-10|true"})
    void aPlanIsReadAtItsDate(String text, LocalDate start, boolean planned) {
        ClinicalFacts f = FactsFixture.text(text).read();
        assertThat(f.treatmentStart()).isEqualTo(start);
        assertThat(f.treatmentStartPlanned()).as(text).isEqualTo(planned);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // a start ahead in words, counted from the day the text was written (the exam's, 2026-03-16, here)
            "RRMS on Tecfidera since 2019, to start Ocrevus next month.|2026-04-16",
            "SEP sous Copaxone depuis 2018, Kesimpta à débuter le mois prochain|2026-04-16",
            "Sous Gilenya. Relais par Ocrevus prévu dans 3 semaines|2026-04-06",
            "On Aubagio, Kesimpta planned in 2 weeks|2026-03-30"})
    void aNewTreatmentPlannedAheadInWords(String text, LocalDate planned) {
        ClinicalFacts f = FactsFixture.text(text).read();
        assertThat(f.treatmentStart()).as(text).isEqualTo(planned);
        assertThat(f.treatmentStartPlanned()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // no plan before it, or not a start: the current treatment's history stays
            "RRMS on Tecfidera since 2019, Ocrevus discussed, next MRI in 6 months|2019-01-01",
            "SEP sous Copaxone depuis 2018, Kesimpta au mois de mai|2018-01-01"})
    void aDurationAheadIsNoPlanWithoutItsWords(String text, LocalDate start) {
        ClinicalFacts f = FactsFixture.text(text).read();
        assertThat(f.treatmentStart()).isEqualTo(start);
        assertThat(f.treatmentStartPlanned()).as(text).isFalse();
    }

    @ParameterizedTest(name = "{0} -> eGFR below {1}")
    @CsvSource(delimiter = '|', value = {
            // a renal failure stated without a number: an eGFR bound by its stage (KDIGO), so Gd raises the alert
            "Première IRM, suspicion de SEP. Insuffisance rénale chronique sévère (stade 4), suivi néphrologique.|30",
            "Adolescent de 15 ans, insuffisance rénale chronique (néphropathie).|60",
            "CKD stage 3b, on ACE inhibitor|45",
            "IRC stade 5 non dialysée|15",
            "End-stage renal disease, transplant listed|15",
            "Insuffisance rénale terminale|15",
            "Renal impairment|60",
            "IRC modérée|60",
            // none: denied, history, an early stage, or an eGFR written (it says more)
            "Pas d'insuffisance rénale|",
            "Antécédent d'insuffisance rénale aiguë en 2019, guérie|",
            "No renal impairment|",
            "CKD stage 2|",
            // a verification's: an eGFR formula is no kidney disease, a form's answer, recovered, another's dialysis,
            // stage 3a (45 or more)
            "DFG estimé (CKD-EPI) 95 mL/min/1.73m2|95",
            "Insuffisance rénale : non.|",
            "Insuffisance rénale aiguë en 2019, récupération complète|",
            "Family history: mother on dialysis|",
            "First MRI, suspected MS. Family history: mother on dialysis for renal failure.|",
            "Pas de poussée, insuffisance rénale chronique stade 4|30",
            "DFG estimé (CKD-EPI) 22 mL/min/1.73m2|22",
            // the second verification's: an answer followed by more words, a recovery denied, the patient's own
            "Poussée. Insuffisance rénale chronique stade 4 : non dialysée.|30",
            "Insuffisance rénale sévère: no dialysis yet|30",
            "IRC stade 4, sans récupération après IRA en 2025.|30",
            "CKD stage 4, not recovered after AKI in 2025|30",
            "CKD stage 3a|",
            "Insuffisance rénale chronique, DFG 48|48"})
    void aRenalFailureStatedWithoutANumber(String text, Integer below) {
        ClinicalFacts f = FactsFixture.text(text).read();
        if (below == null) {
            assertThat(f.egfr()).as(text).isNull();
        } else if (text.contains("DFG")) {
            // the value written; "CKD-EPI", the formula, is no kidney disease (it was read "below 60")
            assertThat(f.egfr()).as(text).isEqualByComparingTo(String.valueOf(below));
        } else {
            assertThat(f.egfr()).as(text).isEqualByComparingTo(new java.math.BigDecimal(below).subtract(
                    new java.math.BigDecimal("0.001")));
            assertThat(f.egfrAtMost()).isTrue();
        }
    }

    @org.junit.jupiter.api.Test
    void aStatedRenalFailureAgreesWithALowerEgfrAndConflictsWithAHigherOne() {
        ClinicalFacts agree = FactsFixture.text("Insuffisance rénale chronique").loinc("98979-8", "NM", "24",
                "mL/min/{1.73_m2}").read();
        assertThat(agree.egfr()).isEqualByComparingTo("24");
        assertThat(agree.conflicts()).isEmpty();
        ClinicalFacts conflict = FactsFixture.text("Insuffisance rénale chronique").loinc("98979-8", "NM", "85",
                "mL/min/{1.73_m2}").read();
        assertThat(conflict.egfr()).isEqualByComparingTo("85");
        assertThat(conflict.conflicts()).singleElement().asString().contains("renal failure stated");
    }

    @ParameterizedTest(name = "{0} -> eGFR below 15: {1}")
    @CsvSource(delimiter = '|', value = {
            "Dialysé (hémodialyse 3x/sem)|true",
            "IRC terminale, en dialyse péritonéale|true",
            "On haemodialysis since 2024|true",
            "Pas de dialyse, DFG 55|false",
            "Not on dialysis|false",
            // history, a denial, a written eGFR anywhere, a transplant: not on dialysis now
            "Ancien dialysé, greffé rénal en 2018, DFG 58 ml/min|false",
            "IRC stade 3, DFG 40, pas encore dialysé|false",
            "Previously on dialysis, kidney transplant 2018, eGFR 60|false",
            "Pas d'antécédent de dialyse. DFG 70.|false",
            "Greffé rénal en 2018 après 3 ans d'hémodialyse|false",
            // the patient's own, a relative named earlier in the sentence (found by a verification)
            "Patiente mère de 3 enfants, hémodialysée 3 fois par semaine.|true",
            "Father of two, ESRD on haemodialysis.|true",
            "Family history: mother on dialysis|false"})
    void aPatientOnDialysisIsBelowFifteen(String text, boolean below15) {
        ClinicalFacts f = FactsFixture.text(text).read();
        assertThat(f.egfr() != null && f.egfr().compareTo(new java.math.BigDecimal("15")) < 0).as(text)
                .isEqualTo(below15);
    }

    @ParameterizedTest(name = "{0} -> JCV positive {1}")
    @CsvSource(delimiter = '|', value = {
            "JCV positif en 2022, négatif en 10/2025|false",
            "JCV négatif en 2022, positif en 10/2025 (index 1,4)|true",
            "JCV positif, index 1,8|true",
            "JCV négatif|false",
            // the dates written before the results
            "JCV : 2022 négatif, 10/2025 positif|true",
            "Sérologie JC : 03/2021 positive, 09/2025 négative|false",
            "JCV 2022 neg / 2025 pos|true",
            // one result dated, the other not: the first stated counts, as before
            "JCV négatif, 2025 positif|false",
            // a list of dated results split by ";" or "|" (a lab report pasted in): the newer one
            "JCV : 2022 : négatif ; 10/2025 : positif|true",
            "Sérologie JCV : 03/2021 : positive ; 09/2025 : négative|false",
            "JCV 2022 neg; 2023 neg; 10/2025 pos (index 0,9)|true",
            // the part after the ";" is something else: the result stated counts
            "JCV négatif ; 10/2025 : EDSS 3|false",
            "JCV : 2022 : négatif ; IRM 10/2025 : stable|false",
            // the result first, then its date; two statements, the later one newer
            "JCV: neg 2022; pos 10/2025|true",
            "JCV : positif en 2022 ; négatif en 10/2025|false",
            "JCV : négatif en 2022. JCV : positif en 10/2025.|true",
            "JCV positif en 10/2025. JCV négatif en 2022.|true",
            "JCV négatif en 2022. Sérologie JCV refaite, positive.|false",
            // a seroconversion is a positive result, whatever older negative the text recalls
            "Séroconversion JCV en 10/2025 (négatif en 2022)|true",
            "JCV : séroconversion constatée en 10/2025|true",
            "Patient seroconverted for JCV in 10/2025|true",
            "Pas de séroconversion JCV, négatif en 10/2025|false",
            // dated: against a result dated in another statement, or in the same one, the newer wins
            "JCV négatif en 2022. Séroconversion JCV en 10/2025|true",
            "JCV negative in 2022. JCV seroconversion in 10/2025.|true",
            "JCV negative in 2022, seroconverted in 10/2025|true",
            "Séroconversion JCV en 2023. JCV négatif en 10/2025.|false",
            "Séroconversion JCV en 2023, négatif en 10/2025|false"})
    void theNewerOfTwoDatedJcvResults(String text, boolean positive) {
        assertThat(FactsFixture.text(text).read().jcvPositive()).as(text).isEqualTo(positive);
    }

    @ParameterizedTest(name = "{0} -> JCV index {1}")
    @CsvSource(delimiter = '|', value = {
            // indexes each with its date: the newest, wherever it is in the list
            "Index JCV : 03/2025 0,3 ; 11/2025 1,8|1.8",
            "JCV index 11/2025 1.8, 03/2025 0.3|1.8",
            "JCV positif, index 0,3 en 03/2025, 1,8 en 11/2025|1.8",
            // one index, or dates that are not the indexes' own: the first index stated, as before
            "JCV positif le 12/01/2025, index 0,45|0.45",
            "JCV négatif en 2022, positif en 10/2025 (index 1,4)|1.4",
            "JCV index 1,6 (contrôle 03/2025, prochain 09/2025)|1.6",
            "JCV index: 0.3 (03/2025), 1.8 (11/2025)|1.8",
            // two statements, the later one dated newer: its index with it
            "JCV négatif en 2022 (index 0,2). JCV positif en 10/2025, index 1,6.|1.6"})
    void theNewestOfDatedJcvIndexes(String text, String index) {
        assertThat(FactsFixture.text(text).read().jcvIndex()).as(text).isEqualByComparingTo(index);
    }

    @ParameterizedTest(name = "{0} -> JCV positive {1}, index {2}")
    @CsvSource(delimiter = '#', value = {
            // the same lists split by "|", as some lab results arrive pasted
            "JC virus | 2021 : negative | 11/2025 : positive#true#",
            "JCV index: 2023: 0.25 | 2024: 0.61 | 10/2025: 1.62#  #1.62",
            "JCV 2021 neg | 10/2025 pos index 0,8#true#0.8",
            "JCV status: negative (2022) | positive (10/2025)#true#",
            // the newest result's index only: an older result's index is not the newest's
            "JCV : 2022 : positif (index 0,5) ; 10/2025 : négatif#false#",
            "JCV : 2022 : négatif (index 0,2) ; 10/2025 : positif (index 1,9)#true#1.9",
            // the index in brackets between an older result and its date: the newer result has none
            "JCV positif (index 1,8) en 2022 ; positif en 10/2025#true#",
            "JCV négatif (index 0,2) en 2022, positif en 10/2025 (index 1,1)#true#1.1"})
    void datedJcvListsSplitByBars(String text, Boolean positive, String index) {
        datedList(text, positive, index);
    }

    /** A lab result pasted as lines (HL7 \\.br\\ or a line break in the text), one dated result per line. */
    @ParameterizedTest(name = "{0} -> JCV positive {1}, index {2}")
    @CsvSource(delimiter = '#', value = {
            "Sérologies JCV :\\n- 2022 : négatif\\n- 10/2025 : positif#true#",
            "Index JCV :\\n03/2025 : 0,3\\n11/2025 : 1,8#  #1.8",
            "JCV positif\\n10/2025 : EDSS 3#true#"})
    void datedJcvListsOnLines(String text, Boolean positive, String index) {
        datedList(text.replace("\\n", "\n"), positive, index);
    }

    private static void datedList(String text, Boolean positive, String index) {
        ClinicalFacts f = FactsFixture.text(text).read();
        assertThat(f.jcvPositive()).as(text).isEqualTo(positive);
        assertThat(f.jcvIndex()).as(text).isEqualTo(index == null ? null : new java.math.BigDecimal(index));
    }

    @ParameterizedTest(name = "{0} -> Gd allergy {1}")
    @CsvSource(delimiter = '|', value = {
            "Réaction au produit de contraste lors d'une IRM en 2022 (urticaire)|true",
            "Allergie PDC IRM|true",
            "Previous hives after MRI contrast|true",
            "Éruption cutanée après injection de produit de contraste lors d'une IRM|true",
            "Rash after contrast for an MRI in 2023|true",
            "Oedème de Quincke au Dotarem|true",
            "Rash cutané sous Tecfidera, IRM avec produit de contraste en 2024|false",
            "Allergie à l'iode, IRM avec produit de contraste bien tolérée|false",
            "IRM avec produit de contraste en 2023|false"})
    void anMriContrastReactionIsAGadoliniumOne(String text, boolean allergy) {
        assertThat(FactsFixture.text(text).read().facts()).as(text)
                .matches(fs -> fs.stream().anyMatch(f -> f.name().equals("gdAllergy")) == allergy);
    }

    @ParameterizedTest(name = "{0} -> start {1}")
    @CsvSource(delimiter = '|', value = {
            // exam 2026-03-16: the last such month on or before it
            "SEP-RR sous Kesimpta depuis le mois de mai|2025-05-01",
            "Ocrevus depuis février|2026-02-01",
            "RRMS on Kesimpta since June|2025-06-01",
            "Kesimpta depuis mai dernier|2025-05-01",
            "Ocrevus depuis mars 2022|2022-03-01"})
    void aMonthWithoutItsYearAfterSince(String text, LocalDate start) {
        ClinicalFacts f = FactsFixture.text(text).read();
        assertThat(f.treatmentStart()).isEqualTo(start);
        assertThat(f.treatmentStartPlanned()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "SEP-RR sous Tecfidera, introduction d'Ocrevus prévue le 20/04/2026.|dimethyl fumarate|2026-04-20",
            "RRMS on Tecfidera. Ocrevus planned 2026-04-20.|dimethyl fumarate|2026-04-20",
            "Sous Tecfidera. Relais par Ocrevus prévu le 20/04/2026|dimethyl fumarate|2026-04-20"})
    void aNewTreatmentPlannedAfterTheCurrentOne(String text, String treatment, LocalDate planned) {
        ClinicalFacts f = FactsFixture.text(text).read();
        assertThat(f.treatment()).isEqualTo(treatment);
        assertThat(f.treatmentStart()).isEqualTo(planned);
        assertThat(f.treatmentStartPlanned()).isTrue();
    }
}
