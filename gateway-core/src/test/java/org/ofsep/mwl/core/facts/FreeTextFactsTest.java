package org.ofsep.mwl.core.facts;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ofsep.mwl.core.domain.Fact;

/** Facts from French and English free text: treatments, dates, previous MRIs, JCV, eGFR, pregnancy. */
class FreeTextFactsTest {

    private static Fact fact(ClinicalFacts f, String name) {
        return f.facts().stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "sous Ocrevus depuis mars 2022|ocrelizumab|2022-03-01",
            "SOUS OCREVUS DEPUIS MARS 2022|ocrelizumab|2022-03-01",
            "Traitement : TYSABRI depuis le 15/03/2022|natalizumab|2022-03-15",
            "on natalizumab since March 2022|natalizumab|2022-03-01",
            "Kesimpta since 2022-03-15|ofatumumab|2022-03-15",
            "Gilenya depuis 2019|fingolimod|2019-01-01",
            "traitée par tériflunomide (Aubagio) depuis 03/2022|teriflunomide|2022-03-01",
            "patient on dimethyl fumarate since Nov 2021|dimethyl fumarate|2021-11-01",
            "Copaxone depuis 2015-06|glatiramer|2015-06-01",
            "Interféron bêta (Avonex) depuis 2018|interferon beta|2018-01-01",
            "sous zeposia depuis le 2 fevrier 2024|ozanimod|2024-02-02",
            "Mavenclad, 1ère cure en 05/2024|cladribine|2024-05-01",
            "Briumvi started 12.01.2025|ublituximab|2025-01-12",
            "Ponvory since 15/03/22|ponesimod|2022-03-15",
            "Mayzent depuis sept. 2023|siponimod|2023-09-01",
            "rituximab hors AMM depuis 2020|rituximab|2020-01-01",
            "Lemtrada, 1er cycle 2021|alemtuzumab|2021-01-01",
            "Vumerity since June 2023|diroximel fumarate|2023-06-01",
            // day-month-year with the month's abbreviation, as UK and some US systems print dates
            "Commenced ofatumumab (Kesimpta) 10-Jun-2025|ofatumumab|2025-06-10",
            "Tysabri since 03-Mar-2022|natalizumab|2022-03-03",
            "Ocrevus since Sep-2024|ocrelizumab|2024-09-01"})
    void treatmentAndStartInFrenchAndEnglish(String text, String generic, String start) {
        ClinicalFacts f = FactsFixture.text(text).read();
        assertThat(f.treatment()).isEqualTo(generic);
        assertThat(f.treatmentStart()).isEqualTo(LocalDate.parse(start));
        assertThat(fact(f, "treatment").source()).isEqualTo("OBR-13");
        assertThat(fact(f, "treatment").text()).isEqualTo(text);
    }

    @Test
    void aPreviousMriDatedDayMonthYearWithTheMonthsAbbreviation() {
        assertThat(FactsFixture.text("Last MRI 28-Feb-2026 with 3D FLAIR").read().priorBrainMri())
                .isEqualTo(LocalDate.of(2026, 2, 28));
    }

    @Test
    void aLaterDoseIsNotTheStartAndAStartWordWins() {
        ClinicalFacts later = FactsFixture.text("Mavenclad, 2e cure en 05/2024").read();
        assertThat(later.treatment()).isEqualTo("cladribine");
        assertThat(later.treatmentStart()).isNull();
        ClinicalFacts both = FactsFixture.text("Ocrevus (dernière perfusion 01/2026, introduit 09/2021)").read();
        assertThat(both.treatmentStart()).isEqualTo(LocalDate.of(2021, 9, 1));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Tysabri depuis 3 ans|2023-03-01", "on Tysabri x 3 yrs|2023-03-01", "natalizumab for 4 years|2022-03-01",
            "Tysabri depuis 18 mois|2024-09-01"})
    void aDurationGivesTheStartToTheMonth(String text, String start) {
        ClinicalFacts f = FactsFixture.text(text).read();
        assertThat(f.treatmentStart()).isEqualTo(LocalDate.parse(start));
        assertThat(fact(f, "treatmentStart").value()).endsWith("before the exam)");
    }

    /**
     * An order written months ahead (a 6-month follow-up prescribed at the visit, 2025-09-16, for 2026-03-16): its
     * "il y a", "ago" and "depuis" count back from the day it was written, not from the exam. Counted from the exam,
     * "Ocrevus débuté il y a 1 mois" put the start in 2026-02 (a new treatment's baseline) where it was 2025-08,
     * seven months before the exam (the re-baseline), and "Dernière IRM il y a 2 mois" put the last MRI four
     * months later than it was.
     */
    @Test
    void relativeDatesCountBackFromTheDayTheOrderWasWritten() {
        LocalDate written = LocalDate.of(2025, 9, 16);
        ClinicalFacts f = FactsFixture.text("SEP RR, Ocrevus débuté il y a 1 mois. Dernière IRM il y a 2 mois avec 3D"
                + " FLAIR. IRM médullaire réalisée il y a 1 an.").writtenOn(written).read();
        assertThat(f.treatmentStart()).isEqualTo(LocalDate.of(2025, 8, 1));
        assertThat(f.priorBrainMri()).isEqualTo(LocalDate.of(2025, 7, 1));
        assertThat(f.lastSpineMri()).isEqualTo(LocalDate.of(2024, 9, 1));
        ClinicalFacts d = FactsFixture.text("Tysabri depuis 18 mois").writtenOn(written).read();
        assertThat(d.treatmentStart()).isEqualTo(LocalDate.of(2024, 3, 1));
        assertThat(fact(d, "treatmentStart").value()).isEqualTo("2024-03 (18 mois before the order of 2025-09-16)");
        ClinicalFacts e = FactsFixture.text("natalizumab started 2 weeks ago").writtenOn(written).read();
        assertThat(e.treatmentStart()).isEqualTo(LocalDate.of(2025, 9, 2));
        // a written date is what it says, whenever the order was written
        assertThat(FactsFixture.text("Ocrevus introduit 09/2021").writtenOn(written).read().treatmentStart())
                .isEqualTo(LocalDate.of(2021, 9, 1));
    }

    /**
     * A treatment named twice, the brand in brackets after the generic or the reverse, is one name: the start word
     * and date after the bracket date it (before, corpus c90's "Natalizumab (Tysabri) commencé il y a 15 mois"
     * gave no start, so no short PML protocol). A bracket around other words does not join them.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Natalizumab (Tysabri) commencé il y a 15 mois, bien toléré|2024-12-01",
            "Tysabri (natalizumab) débuté il y a 2 ans|2024-03-01",
            "mise sous natalizumab ( Tysabri ) il y a 3 semaines|2026-02-23",
            "ocrelizumab (Ocrevus) started 5 months ago|2025-10-01",
            "Natalizumab (Tysabri) depuis 18 mois|2024-09-01",
            "Natalizumab (Tysabri) introduit en 09/2021|2021-09-01"})
    void aBrandInBracketsAfterTheNameIsTheSameName(String text, String start) {
        assertThat(FactsFixture.text(text).read().treatmentStart()).as(text).isEqualTo(LocalDate.parse(start));
    }

    @Test
    void aBracketAroundOtherWordsDoesNotJoinThem() {
        for (String text : new String[] {"Poussée (sous Tysabri) débutée il y a 2 semaines",
                "Tysabri (perfusion mensuelle) débuté il y a 5 mois", "Ocrevus (Kesimpta) débuté il y a 5 mois"}) {
            ClinicalFacts f = FactsFixture.text(text).read();
            assertThat(f.treatmentStart()).as(text).isNull();
        }
    }

    /** A day after the exam (an order entered late, a wrong clock) or none: counted from the exam, as before. */
    @Test
    void withoutAnEarlierWritingDayRelativeDatesCountFromTheExam() {
        for (LocalDate day : new LocalDate[] {null, FactsFixture.EXAM, FactsFixture.EXAM.plusDays(3)}) {
            ClinicalFacts f = FactsFixture.text("Ocrevus débuté il y a 5 mois. Dernière IRM il y a 8 mois.")
                    .writtenOn(day).read();
            assertThat(f.treatmentStart()).as(String.valueOf(day)).isEqualTo(LocalDate.of(2025, 10, 1));
            assertThat(f.priorBrainMri()).as(String.valueOf(day)).isEqualTo(LocalDate.of(2025, 7, 1));
            assertThat(fact(FactsFixture.text("Tysabri depuis 18 mois").writtenOn(day).read(), "treatmentStart")
                    .value()).as(String.valueOf(day)).endsWith("before the exam)");
        }
    }

    /**
     * Dates written relative to the exam (2026-03-16), as orders write them: before, "débuté il y a 5 mois" gave no
     * start, so the re-baseline six months after a new treatment (Gd, OFSEP 2020) was missed.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "SEP RR, Ocrevus débuté il y a 5 mois|2025-10-01",
            "mise sous Kesimpta il y a 3 semaines|2026-02-23",
            "Tysabri introduit il y a environ un an et demi|2024-09-01",
            "TYSABRI DEBUTE IL Y A 2 ANS|2024-03-01",
            "on ocrelizumab, started 5 months ago|2025-10-01",
            "natalizumab started about two years ago|2024-03-01",
            "Kesimpta, first injection 10 days ago|2026-03-06",
            "started Ocrevus a year and a half ago|2024-09-01"})
    void aStartWrittenRelativeToTheExam(String text, String start) {
        ClinicalFacts f = FactsFixture.text(text).read();
        assertThat(f.treatmentStart()).as(text).isEqualTo(LocalDate.parse(start));
        assertThat(f.treatmentStartPlanned()).isFalse();
    }

    @Test
    void previousMrisWrittenRelativeToTheExam() {
        ClinicalFacts f = FactsFixture.text("Dernière IRM il y a 8 mois avec 3D FLAIR. IRM médullaire réalisée il y a 2"
                + " ans.")
                .read();
        assertThat(f.priorBrainMri()).isEqualTo(LocalDate.of(2025, 7, 1));
        assertThat(f.priorMri3dFlair()).isTrue();
        assertThat(f.lastSpineMri()).isEqualTo(LocalDate.of(2024, 3, 1));
        ClinicalFacts e = FactsFixture.text("Last MRI 3 months ago (3D FLAIR). Spine MRI done four years ago.").read();
        assertThat(e.priorBrainMri()).isEqualTo(LocalDate.of(2025, 12, 1));
        assertThat(e.lastSpineMri()).isEqualTo(LocalDate.of(2022, 3, 1));
    }

    /**
     * A date counted back from the exam that follows the treatment without a start word dates something else (a
     * visit, a relapse, the last infusion): the duration is the start, as before relative dates were read.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Natalizumab depuis 3 ans, bilan il y a 2 mois, index JCV 1,9.|2023-03-01",
            "RRMS on natalizumab for 3 years, seen in clinic 2 months ago, JCV index 1.9.|2023-03-01",
            "Tysabri depuis 3 ans, poussée il y a 2 mois.|2023-03-01",
            "Ocrevus depuis 3 ans, perfusions semestrielles, la dernière il y a 5 mois.|2023-03-01",
            // the same with a written date: the duration right after the name wins over a later date
            "Tysabri depuis 3 ans, poussée en janvier 2026.|2023-03-01",
            "on natalizumab for 3 years, relapse in Jan 2026|2023-03-01",
            // a start word about another event, after the duration (second review)
            "RRMS on Tysabri for 4 years, new sensory symptoms started 2 weeks ago, JCV index 1.9.|2022-03-01",
            "SEP RR sous Tysabri depuis 4 ans, paresthésies ayant débuté il y a 10 jours, index JCV 1,9.|2022-03-01",
            "Ocrevus depuis 3 ans, poussée débutée il y a 3 semaines|2023-03-01",
            "Tysabri depuis 4 ans, poussée débutée le 02/03/2026|2022-03-01"})
    void anotherEventCountedBackFromTheExamIsNotTheStart(String text, String start) {
        assertThat(FactsFixture.text(text).read().treatmentStart()).as(text).isEqualTo(LocalDate.parse(start));
    }

    @Test
    void aStartWordFarFromTheNameStartsSomethingElse() {
        assertThat(FactsFixture.text("RRMS on Tysabri, new sensory symptoms started 2 weeks ago").read()
                .treatmentStart()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "SEP RR, Ocrevus commencé il y a 5 mois.|2025-10-01",
            "SEP RR. Tysabri arrêté, relais par Ocrevus il y a 5 mois.|2025-10-01",
            "RRMS, Ocrevus infusions began 5 months ago.|2025-10-01",
            "Ocrevus, débuté il y a 5 mois|2025-10-01",
            "Ocrevus a été débuté il y a 5 mois|2025-10-01"})
    void moreWaysToWriteARelativeStart(String text, String start) {
        assertThat(FactsFixture.text(text).read().treatmentStart()).as(text).isEqualTo(LocalDate.parse(start));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Last MRI: 8 months ago (3D FLAIR), next visit 04/2026.|2025-07-01",
            "Dernière IRM : il y a 8 mois avec 3D FLAIR, prochaine consultation 04/2026|2025-07-01",
            "IRM encéphalique de contrôle réalisée il y a 8 mois|2025-07-01",
            "Dernière IRM (3D FLAIR, protocole OFSEP) il y a 8 mois|2025-07-01"})
    void aPreviousMriCountedBackInTheWaysPeopleWriteIt(String text, String date) {
        assertThat(FactsFixture.text(text).read().priorBrainMri()).as(text).isEqualTo(LocalDate.parse(date));
    }

    @Test
    void aSpineMriCountedBackWhenItWasDone() {
        assertThat(FactsFixture.text("IRM médullaire cervico-dorsale réalisée il y a 4 ans").read().lastSpineMri())
                .isEqualTo(LocalDate.of(2022, 3, 1));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Ocrevus started 0.5 years ago|2025-09-01",
            "natalizumab started 1.5 years ago|2024-09-01",
            "natalizumab started 1,5 years ago|2024-09-01",
            "Tysabri débuté il y a 1,5 an|2024-09-01",
            "Tysabri débuté il y a un an et 3 mois|2024-12-01",
            "Ocrevus started 6 mo. ago|2025-09-01",
            "Ocrevus started a year and 2 months ago|2025-01-01"})
    void decimalsAndMonthsAfterTheYears(String text, String start) {
        assertThat(FactsFixture.text(text).read().treatmentStart()).as(text).isEqualTo(LocalDate.parse(start));
    }

    @Test
    void aFractionARangeOrABoundIsNoDate() {
        for (String text : List.of("Ocrevus started 1 1/2 years ago", "Tysabri started 2-3 years ago",
                "Ocrevus started under 2 years ago", "Ocrevus started up to 2 years ago")) {
            assertThat(FactsFixture.text(text).read().treatmentStart()).as(text).isNull();
        }
        // "il y a 3 ans d'évolution" is "there are three years of disease", not a date; "de cela" is
        assertThat(TextDates.find("il y a 3 ans d'evolution", 0, 24, FactsFixture.EXAM)).isEmpty();
        assertThat(TextDates.find("il y a 3 ans de cela", 0, 20, FactsFixture.EXAM)).hasSize(1);
    }

    @Test
    void aDateCountedBackFarFromTheMriDatesSomethingElse() {
        ClinicalFacts f = FactsFixture.text("IRM de contrôle, poussée il y a 2 mois").read();
        assertThat(f.priorBrainMri()).isNull();
        ClinicalFacts g = FactsFixture.text("Dernière IRM cérébrale (protocole OFSEP) il y a 8 mois").read();
        assertThat(g.priorBrainMri()).isEqualTo(LocalDate.of(2025, 7, 1));
    }

    /**
     * The third review's texts: a date counted back from the exam that dates a symptom, a relapse or the reason for
     * this exam is not a treatment start nor a previous MRI; where it is not the MRI's, the written date is read as
     * before relative dates were.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Tysabri 2019, NORB débutée il y a 2 sem. JCV positif index 2,1. Dernière IRM 09/2025 3D FLAIR|2019-01-01",
            "Natalizumab, numbness began 2 weeks ago, JCV index 2.1|",
            "SEP RR sous Tysabri, début des symptômes il y a 15 jours.|",
            "Copaxone 2015, switched to Ocrevus 2021, relapse began 3 weeks ago|2021-01-01",
            "On Tysabri, new symptoms started 2 weeks ago|",
            "On Ocrevus, worse since 2 weeks ago|",
            "Ocrevus, NORB débutée il y a 10 jours|",
            "Ocrevus, fatigue débutée il y a 3 semaines|",
            "Ocrevus, poussée débutée il y a 10 jours|",
            "Ocrevus 09/2021, poussée commencée le 02/03/2026|2021-09-01",
            "Ocrevus 2021, Fampyra introduced 01/2026|2021-01-01",
            "Ocrevus 2021, Fampyra introduit il y a 2 mois|2021-01-01",
            "Tysabri 2019, symptoms began 03/2026|2019-01-01"})
    void aSymptomOrARelapseIsNotTheTreatmentsStart(String text, String start) {
        assertThat(FactsFixture.text(text).read().treatmentStart()).as(text)
                .isEqualTo(start == null ? null : LocalDate.parse(start));
    }

    @Test
    void theReasonForThisExamIsNotAPreviousMri() {
        for (String text : List.of("IRM encéphalique pour paresthésies il y a 2 mois",
                "IRM cérébrale (NORB il y a 3 semaines)", "IRM cérébrale demandée devant une NORB il y a 1 mois",
                "MRI brain: vertigo and diplopia 5 days ago, ? demyelination", "Brain MRI for optic neuritis 2 weeks ago",
                "IRM cérébrale pour troubles sensitifs apparus il y a 3 semaines",
                "Pas d'IRM antérieure. IRM cérébrale pour NORB il y a 3 semaines",
                "First MRI. Brain MRI: optic neuritis 3 weeks ago")) {
            ClinicalFacts f = FactsFixture.text(text).read();
            assertThat(f.priorBrainMri()).as(text).isNull();
            assertThat(f.priorBrainMriMentioned()).as(text).isNotEqualTo(Boolean.TRUE);
        }
        for (String text : List.of("IRM cérébrale et médullaire pour poussée il y a 15 jours",
                "MRI brain and spine: new leg weakness 10 days ago", "IRM médullaire demandée il y a 3 mois, non réalisée",
                "IRM médullaire prescrite il y a 6 mois non faite")) {
            assertThat(FactsFixture.text(text).read().lastSpineMri()).as(text).isNull();
        }
    }

    /** "No previous MRI" says there is none (it was read as a previous MRI mentioned: no Gd at a first MRI). */
    @Test
    void noPreviousMriSaysThereIsNone() {
        for (String text : List.of("No previous MRI.", "No prior MRI available", "no previous brain MRI",
                "Pas d'IRM antérieure")) {
            ClinicalFacts f = FactsFixture.text(text).read();
            assertThat(f.priorBrainMri()).as(text).isNull();
            assertThat(f.priorBrainMriMentioned()).as(text).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Last MRI, about a year ago (03/2025), stable|2025-03-01",
            "Dernière IRM, il y a 1 an (mars 2025), stable|2025-03-01",
            "Dernière IRM cérébrale, réalisée il y a environ 14 mois dans un autre centre (le 12/01/2025)|2025-01-12"})
    void aWrittenDateAfterACountedBackOneIsReadAsBefore(String text, String date) {
        assertThat(FactsFixture.text(text).read().priorBrainMri()).as(text).isEqualTo(LocalDate.parse(date));
    }

    @Test
    void aSpineMriCountedBackWithItsResult() {
        assertThat(FactsFixture.text("IRM médullaire, il y a 2 ans (01/2024), normale").read().lastSpineMri())
                .isEqualTo(LocalDate.of(2024, 1, 1));
        assertThat(FactsFixture.text("IRM médullaire il y a 2 ans, normale").read().lastSpineMri())
                .isEqualTo(LocalDate.of(2024, 3, 1));
    }

    /** The fourth review's texts: each read as before relative dates were (or better), never worse. */
    @Test
    void theFourthReviewsTextsReadNoWorseThanBefore() {
        for (String text : List.of("Passage sous Ocrevus, il y a 3 semaines apparition de paresthésies",
                "Switched to Kesimpta, 3 weeks ago developed left leg numbness",
                "Relais par Ocrevus - il y a 2 mois nouvelle poussée", "Mise sous Ocrevus (il y a 2 mois poussée sensitive)",
                "Passage à Kesimpta: il y a 1 mois effets secondaires")) {
            assertThat(FactsFixture.text(text).read().treatmentStart()).as(text).isNull();
        }
        assertThat(FactsFixture.text("Tysabri depuis 2 ans (1ère perfusion 01/2023), JCV positif 1,2").read()
                .treatmentStart()).isEqualTo(LocalDate.of(2023, 1, 1));
        assertThat(FactsFixture.text("Natalizumab for 2 years (first infusion 11/2022)").read().treatmentStart())
                .isEqualTo(LocalDate.of(2022, 11, 1));
        assertThat(FactsFixture.text("Ocrevus (6 mois) depuis 2021").read().treatmentStart())
                .isEqualTo(LocalDate.of(2021, 1, 1));
        // a bare number of years after the name is not always the treatment's duration
        assertThat(FactsFixture.text("Ocrevus, 2 ans après le diagnostic, introduit 03/2022.").read().treatmentStart())
                .isEqualTo(LocalDate.of(2022, 3, 1));
        assertThat(FactsFixture.text("Tysabri 3 ans puis pause, reprise 01/2025.").read().treatmentStart())
                .isEqualTo(LocalDate.of(2025, 1, 1));
        for (String text : List.of("Dernière IRM stable mais poussée il y a 3 semaines",
                "Previous MRI normal but new symptoms 2 weeks ago", "Last MRI showed new T2 lesion and relapse 2 weeks ago",
                "Dernière IRM annulée il y a 2 mois", "Last MRI cancelled 2 months ago")) {
            ClinicalFacts f = FactsFixture.text(text).read();
            assertThat(f.priorBrainMri()).as(text).isNull();
        }
        for (String text : List.of("IRM cérébrale - il y a 3 semaines apparition d'une NORB gauche",
                "Brain MRI: 2 weeks ago new onset diplopia", "IRM encéphalique : il y a 10 jours, baisse d'acuité")) {
            assertThat(FactsFixture.text(text).read().priorBrainMri()).as(text).isNull();
        }
        for (String text : List.of("IRM cervicale - il y a 1 mois signe de Lhermitte", "Spinal cord MRI: 1 month ago Lhermitte sign",
                "Brain and spine MRI - 2 weeks ago acute myelitis symptoms",
                "IRM médullaire non réalisée il y a 6 mois (claustrophobie)",
                "Spine MRI not performed 6 months ago due to claustrophobia")) {
            assertThat(FactsFixture.text(text).read().lastSpineMri()).as(text).isNull();
        }
        // an older MRI exists: "no previous MRI" with a date in the same sentence is not a denial
        assertThat(FactsFixture.text("No previous MRI available here (done 2024 in Lyon)").read().priorBrainMri())
                .isEqualTo(LocalDate.of(2024, 1, 1));
        assertThat(FactsFixture.text("No recent MRI, last one in 2019").read().priorBrainMri())
                .isEqualTo(LocalDate.of(2019, 1, 1));
        assertThat(FactsFixture.text("No brain MRI since 2019").read().priorBrainMri()).isEqualTo(LocalDate.of(2019, 1, 1));
        assertThat(FactsFixture.text("No prior MRI to compare (outside films 2024 not sent)").read().priorBrainMri())
                .isEqualTo(LocalDate.of(2024, 1, 1));
    }

    /** The fifth review's texts. */
    @Test
    void theFifthReviewsTextsReadNoWorseThanBefore() {
        for (String text : List.of("No MRI since starting Ocrevus 2 years ago.", "Stable since starting Kesimpta 18 months ago.",
                "Patient starting Kesimpta 3 weeks ago.")) {
            ClinicalFacts f = FactsFixture.text(text).read();
            assertThat(f.treatmentStartPlanned()).as(text).isFalse();
        }
        for (String text : List.of("No prior MRI here; outside MRI 3 months ago showed 8 periventricular lesions.",
                "No previous MRI at our hospital, last MRI done elsewhere 1 year ago.",
                "No previous MRI here (outside MRI 6 months ago, CD to be uploaded).")) {
            ClinicalFacts f = FactsFixture.text(text).read();
            assertThat(f.priorBrainMri() != null || Boolean.TRUE.equals(f.priorBrainMriMentioned())).as(text).isTrue();
        }
        for (String text : List.of("Pas d'IRM cérébrale antérieure, IRM médullaire il y a 2 mois : lésion C3.",
                "Pas d'IRM cérébrale, IRM médullaire il y a 1 an normale.",
                "Pas d'IRM encéphalique antérieure, IRM cervicale réalisée il y a 3 mois : hypersignal C2.")) {
            ClinicalFacts f = FactsFixture.text(text).read();
            assertThat(f.priorBrainMri()).as(text).isNull();
            assertThat(f.priorBrainMriMentioned()).as(text).isFalse();
        }
    }

    @Test
    void wordsThatAreNotARelativeDateGiveNone() {
        // "il y a" + a count that is no time, bounds, and "and" taken for a number with a unit
        ClinicalFacts lesions = FactsFixture.text("Dernière IRM 11/2025 avec 3D FLAIR : il y a 2 nouvelles lésions.")
                .read();
        assertThat(lesions.priorBrainMri()).isEqualTo(LocalDate.of(2025, 11, 1));
        assertThat(FactsFixture.text("IRM il y a plus de 2 ans").read().priorBrainMri()).isNull();
        assertThat(FactsFixture.text("Ocrevus, more than a year ago").read().treatmentStart()).isNull();
        assertThat(FactsFixture.text("Ocrevus, started years and ago").read().treatmentStart()).isNull();
        assertThat(FactsFixture.text("Ocrevus il y a longtemps").read().treatmentStart()).isNull();
    }

    @Test
    void aDurationOfSomethingElseIsNotTheTreatments() {
        assertThat(FactsFixture.text("Sous Aubagio, pas de poussée depuis 3 ans").read().treatmentStart()).isNull();
        // a written start date beats a duration
        assertThat(FactsFixture.text("Tysabri depuis 01/2023, 3 perfusions").read().treatmentStart())
                .isEqualTo(LocalDate.of(2023, 1, 1));
    }

    @Test
    void onlyNatalizumabCarriesThePmlRiskFlag() {
        assertThat(FactsFixture.text("Tysabri depuis 2021").read().treatmentPmlRisk()).isTrue();
        assertThat(FactsFixture.text("Ocrevus depuis 2021").read().treatmentPmlRisk()).isFalse();
    }

    @Test
    void aStoppedTreatmentIsNotTheCurrentOneAndASwitchTakesTheNewOne() {
        ClinicalFacts f = FactsFixture.text("Ancien traitement Tysabri arrêté en 2020. Actuellement sous Ocrevus depuis"
                + " 06/2020.").read();
        assertThat(f.treatment()).isEqualTo("ocrelizumab");
        assertThat(f.treatmentStart()).isEqualTo(LocalDate.of(2020, 6, 1));

        ClinicalFacts s = FactsFixture.text("Switch Tysabri -> Ocrevus, début prévu le 10/04/2026").read();
        assertThat(s.treatment()).isEqualTo("ocrelizumab");
        assertThat(s.treatmentStart()).isEqualTo(LocalDate.of(2026, 4, 10));
        assertThat(s.treatmentStartPlanned()).isTrue();
        assertThat(fact(s, "plannedTreatmentStart").value()).isEqualTo("2026-04-10");
    }

    @Test
    void plannedStartInTheWordsPeopleWrite() {
        ClinicalFacts f = FactsFixture.text("IRM de référence avant introduction Kesimpta, début prévu le 02/04/2026")
                .read();
        assertThat(f.treatment()).isEqualTo("ofatumumab");
        assertThat(f.treatmentStartPlanned()).isTrue();
        assertThat(f.treatmentStart()).isEqualTo(LocalDate.of(2026, 4, 2));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Dernière IRM 11/2025 avec 3D FLAIR|2025-11-01|true",
            "last MRI Nov 2025, 3D FLAIR|2025-11-01|true",
            "IRM cérébrale du 12/11/2025 (protocole OFSEP)|2025-11-12|true",
            "previous MRI 2025-11-03 without 3D FLAIR|2025-11-03|false",
            "IRM précédente 11/2025 sans 3D FLAIR|2025-11-01|false",
            "last MRI November 2025, 2D FLAIR only|2025-11-01|false",
            "dernière IRM novembre 2025|2025-11-01|",
            "IRM 11/2025 hors protocole|2025-11-01|false"})
    void previousBrainMriAndIts3dFlair(String text, String date, Boolean flair) {
        ClinicalFacts f = FactsFixture.text(text).read();
        assertThat(f.priorBrainMri()).isEqualTo(LocalDate.parse(date));
        assertThat(f.priorMri3dFlair()).isEqualTo(flair);
        assertThat(f.lastSpineMri()).isNull();
    }

    @Test
    void spinalCordMriIsNotTheBrainOne() {
        ClinicalFacts f = FactsFixture.text("Dernière IRM cérébrale 11/2025 avec 3D FLAIR; IRM médullaire 2022").read();
        assertThat(f.priorBrainMri()).isEqualTo(LocalDate.of(2025, 11, 1));
        assertThat(f.lastSpineMri()).isEqualTo(LocalDate.of(2022, 1, 1));
        ClinicalFacts e = FactsFixture.text("last spine MRI 03/2021. Last brain MRI Oct 2025 (3D FLAIR).").read();
        assertThat(e.lastSpineMri()).isEqualTo(LocalDate.of(2021, 3, 1));
        assertThat(e.priorBrainMri()).isEqualTo(LocalDate.of(2025, 10, 1));
        assertThat(e.priorMri3dFlair()).isTrue();
    }

    /**
     * A lumbar spine MRI images no spinal cord: before, "IRM rachis lombaire 03/2024" was read as the last spine MRI,
     * so the entire spine OFSEP 2020 advises every three years was not advised.
     */
    @Test
    void aLumbarSpineMriIsNeitherTheSpinalCordNorTheBrainOne() {
        for (String text : List.of("IRM rachis lombaire 03/2024 pour lombalgie", "lumbar spine MRI 03/2024",
                "IRM lombo-sacrée en mars 2024")) {
            ClinicalFacts f = FactsFixture.text(text).read();
            assertThat(f.lastSpineMri()).as(text).isNull();
            assertThat(f.priorBrainMri()).as(text).isNull();
        }
        ClinicalFacts both = FactsFixture.text("IRM rachis cervical et lombaire 03/2024").read();
        assertThat(both.lastSpineMri()).isEqualTo(LocalDate.of(2024, 3, 1));
        ClinicalFacts withBrain = FactsFixture.text("Dernière IRM cérébrale 11/2025 avec 3D FLAIR; IRM lombaire 2024")
                .read();
        assertThat(withBrain.priorBrainMri()).isEqualTo(LocalDate.of(2025, 11, 1));
        assertThat(withBrain.lastSpineMri()).isNull();
    }

    @Test
    void aFutureMriIsNotAPreviousOneAndTheRequestedProtocolIsNotItsFlair() {
        ClinicalFacts f = FactsFixture.text("IRM cérébrale protocole OFSEP, contrôle IRM prévue 09/2026").read();
        assertThat(f.priorBrainMri()).isNull();
        assertThat(f.priorBrainMriMentioned()).isFalse();
        assertThat(f.priorMri3dFlair()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "JCV positif, index 1,8|true|1.8",
            "JCV + (index 0.9)|true|0.9",
            "sérologie JCV négative|false|",
            "anti-JCV antibodies positive, index 2.1|true|2.1",
            "JCV neg|false|",
            "JCV- index 0,12|false|0.12",
            "JCV index 1.6|  |1.6",
            "JCV positif le 12/01/2026, index 0,45|true|0.45"})
    void jcvStatusAndIndexWithACommaOrADot(String text, Boolean positive, String index) {
        ClinicalFacts f = FactsFixture.text("Tysabri depuis 2020. " + text).read();
        assertThat(f.jcvPositive()).isEqualTo(positive);
        assertThat(f.jcvIndex()).isEqualTo(index == null ? null : new BigDecimal(index));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "DFG 25 mL/min|25",
            "DFG estimé à 42 ml/min/1,73m²|42",
            "eGFR 58|58",
            "clairance de la créatinine : 28 mL/min|28",
            "creatinine clearance 35 ml/min|35",
            "eGFR (CKD-EPI) = 61,5|61.5",
            "insuffisance rénale, DFG < 30|29.999"})
    void egfrWrittenInTheText(String text, String egfr) {
        ClinicalFacts f = FactsFixture.text(text).read();
        assertThat(f.egfr()).isEqualByComparingTo(egfr);
        assertThat(fact(f, "egfr").source()).isEqualTo("OBR-13");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "grossesse en cours|true|yes",
            "Patiente enceinte de 3 mois|true|yes",
            "patient is pregnant (12 weeks)|true|yes",
            "Grossesse : oui|true|yes",
            "beta-HCG positif|true|yes",
            "grossesse non exclue|true|possible",
            "Grossesse non écartée, bHCG demandés|true|possible",
            "grossesse possible|true|possible",
            "Grossesse ?|true|possible",
            "pregnancy not excluded|true|possible",
            "pregnancy cannot be ruled out|true|possible",
            "possibly pregnant|true|possible",
            "grossesse non désirée|true|yes",
            "Grossesse non. Pas d'allergie|false|no",
            "Allergie : aucune ; grossesse non|false|no",
            "pas de grossesse|false|no",
            "non enceinte|false|no",
            "not pregnant|false|no",
            "grossesse : non|false|no",
            "Grossesse: NON|false|no",
            "pas de grossesse en cours|false|no",
            "test de grossesse négatif|false|no",
            "no pregnancy|false|no",
            "Pregnant: N|false|no",
            // a status not known, a test not back: counted (Gd waits for a person), Pregnancy Status "unknown"
            "statut de grossesse inconnu|true|not ruled out",
            "bHCG en attente|true|not ruled out",
            "pregnancy test pending|true|not ruled out",
            "peut-être enceinte|true|possible",
            "may be pregnant, LMP uncertain|true|possible",
            // the most risky statement wins: a stated pregnancy over an unknown status elsewhere
            "statut de grossesse inconnu. Enceinte de 10 SA|true|yes",
            // wordings a verification found missed (Gd published, no alert) or read as a stated pregnancy
            "Pregnancy status: unknown.|true|not ruled out",
            "Possible early pregnancy.|true|possible",
            "Grossesse : NSP.|true|not ruled out",
            "Test de grossesse : résultat non reçu.|true|not ruled out",
            "Retard de règles, test non fait.|true|possible",
            "Enceinte ?|true|possible",
            "Enceinte ? Non.|false|no",
            "Test de grossesse urinaire négatif|false|no",
            // the second verification's: a form's answer, not known, yes, several questions on a line
            "Enceinte ? Non renseigné.|true|not ruled out",
            "Grossesse : non renseignée|true|not ruled out",
            "Enceinte : non connu|true|not ruled out",
            "Allergie ? Non Enceinte ? Oui.|true|yes",
            "Enceinte ? Oui.|true|yes",
            "Pregnant? No.|false|no",
            "Pregnancy? No|false|no"})
    void pregnancyWithNegation(String text, boolean pregnant, String value) {
        ClinicalFacts f = FactsFixture.text(text).read();
        assertThat(f.pregnant()).isEqualTo(pregnant);
        // the kind of answer, which the console's Pregnancy Status shows (0003 yes, 0002 possible, 0004 unknown)
        assertThat(fact(f, "pregnancy").value()).isEqualTo(value);
    }

    @Test
    void anUnrelatedTextGivesNoFact() {
        ClinicalFacts f = FactsFixture.text("Suivi SEP RR, patiente stable, pas de nouvelle poussée").read();
        assertThat(f.facts()).isEmpty();
        assertThat(f.pregnant()).isNull();
    }

    @Test
    void nteCommentsAndTextObxAreRead() {
        FactsFixture x = new FactsFixture();
        x.nte.add("Patiente sous Tysabri depuis 01/2023");
        x.obx.add(new org.ofsep.mwl.core.order.Observation("CLIN", "L", "TX", "JCV positif index 1,7", null));
        ClinicalFacts f = x.read();
        assertThat(f.treatment()).isEqualTo("natalizumab");
        assertThat(fact(f, "treatment").source()).isEqualTo("NTE-3");
        assertThat(f.jcvIndex()).isEqualByComparingTo("1.7");
        assertThat(fact(f, "jcvIndex").source()).isEqualTo("OBX-5 L CLIN");
    }

    /**
     * A very long clinical text (a report pasted in one run, or a hostile frame) is read in parts: a statement far
     * into it is still read, as in a short text. Reading such a text in one clause took half a minute for 1 MB.
     */
    @Test
    void statementsFarIntoAVeryLongRunAreStillRead() {
        String filler = "patient suivi en consultation, examen neurologique sans changement notable, ".repeat(200);
        org.ofsep.mwl.core.facts.ClinicalFacts f = FactsFixture.text(filler + "grossesse en cours, " + filler
                + "JCV positif index 1,8, " + filler + "DFG 25 mL/min").read();
        assertThat(f.pregnant()).isTrue();
        assertThat(f.jcvPositive()).isTrue();
        assertThat(f.jcvIndex()).isEqualByComparingTo("1.8");
        assertThat(f.egfr()).isEqualByComparingTo("25");
        assertThat(f.notes()).anyMatch(n -> n.startsWith("OBR-13: a run of over 20000 characters")
                && n.contains("read in parts"));
        // a long text with sentence ends is read whole: no such note
        ClinicalFacts sentences = FactsFixture.text("Patient suivi, examen stable. ".repeat(2000)
                + "Grossesse en cours.").read();
        assertThat(sentences.pregnant()).isTrue();
        assertThat(sentences.notes()).noneMatch(n -> n.contains("read in parts"));
    }

    /**
     * A statement of a long report pasted without sentence ends, wherever it stands in the first 20,000 characters
     * of its run, is read whole (cut every 1,000 characters, those across a cut were lost: a pregnancy, a JCV result).
     */
    @Test
    void aStatementOfALongRunOnReportIsReadWhereverItStands() {
        String filler = "examen neurologique stable avec une marche conservee et une fatigue moderee et ";
        for (int at = 900; at < 19_000; at += 997) {
            String text = filler.repeat(300).substring(0, at) + " grossesse en cours " + filler.repeat(300)
                    .substring(0, 19_000 - at);
            ClinicalFacts f = FactsFixture.text(text).read();
            assertThat(f.pregnant()).as("at " + at).isTrue();
        }
    }

    /** A list of dated JCV results is quoted whole: the quote of the newest result is not only the oldest item. */
    @Test
    void aDatedJcvListIsQuotedWhole() {
        ClinicalFacts f = FactsFixture.text("JCV : 2022 : négatif ; 10/2025 : positif. Dernière IRM 12/2025.").read();
        assertThat(f.jcvPositive()).isTrue();
        assertThat(fact(f, "jcvStatus").text()).isEqualTo("JCV : 2022 : négatif ; 10/2025 : positif");
    }
}
