package org.ofsep.mwl.core.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ofsep.mwl.core.decision.EngineHarness.decide;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.RuleId;
import org.ofsep.mwl.core.domain.ProtocolCode;

/** Which orders are MS orders, and the clinical context read from French and English free text. */
class MsOrderAndFreeTextTest {

    private static OrderFixture mrBrainWithText(String reason) {
        OrderFixture f = new OrderFixture();
        f.code = OrderFixture.MR_BRAIN;
        f.reason = reason;
        return f;
    }

    @ParameterizedTest(name = "reason \"{0}\" -> MS order: {1}")
    @CsvSource(delimiter = '|', value = {
            "Suivi SEP annuel|true",
            "suivi sep|true",
            "Sclérose en plaques, suivi|true",
            "sclerose en plaques|true",
            "SCLÉROSE EN PLAQUES|true",
            "Multiple sclerosis follow-up|true",
            "Follow-up MS|true",
            "MS, relapsing-remitting|true",
            "(MS)|true",
            "Céphalées chez Mme SMITH|false",
            "AMS suspected|false",
            "MSK pain|false",
            "Céphalées|false",
            "septembre contrôle|false",
            // the disease denied, or an abbreviation that means something else (independent clinician orders)
            "MOGAD (anti-MOG positif), pas de SEP.|false",
            "Migraine avec aura. Pas d'argument pour une SEP.|false",
            "No evidence of MS on previous imaging, headaches|false",
            "SEP éliminée en 2024, céphalées|false",
            "TIA work-up. PMH: AF, MS (mitral stenosis), on warfarin.|false",
            "Abnormal SEPs (somatosensory evoked potentials) lower limbs|false",
            // still MS: a date after it, a denial of something else, the disease spelt out in brackets
            "SEP diagnostiquée en 2015, suivi|true",
            "SEP, pas de poussée|true",
            "MS (multiple sclerosis), annual follow-up|true",
            "First MRI, suspected MS (sensory myelitis).|true",
            "SEP (forme rémittente), suivi|true",
            "Éliminer une SEP|true",
            // a verification's: MS's lesions or activity are not MS denied
            "Annual follow-up. No new MS lesions on last MRI|true",
            "No evidence of MS activity on Ocrevus|true",
            "Pas de SEP évolutive, suivi|true",
            "SEP : non, migraine|false",
            // the second verification's: an answer word followed by more words is no denial; a known or diagnosed
            // MS denied is
            "SEP : aucune poussée depuis 2021.|true",
            "MS: no relapse since 2021.|true",
            "SEP : non évolutive depuis 2021.|true",
            "Céphalées récentes. Pas de SEP connue.|false",
            "No MS diagnosed. Headache for 3 weeks.|false"})
    void msNamedInTheReasonAsAWholeWord(String reason, boolean ms) {
        Decision d = decide(mrBrainWithText(reason));
        assertThat(d.ofsep()).isEqualTo(ms);
    }

    /**
     * The reason names MS and the clinical information starts with a checklist's answers: "Suivi SEP" then
     * "Grossesse : non": the answer was read as MS denied, and the MS order (a relapse, dialysis) passed through
     * without its alerts (found by a verification).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"Grossesse : non. Poussée depuis 5 jours", "Poussée : non", "Relapse? No"})
    void aChecklistAfterTheReasonDoesNotDenyMs(String clinicalInfo) {
        OrderFixture f = mrBrainWithText("Suivi SEP");
        f.clinicalInfo = clinicalInfo;
        assertThat(decide(f).ofsep()).isTrue();
    }

    @Test
    void anMrBrainCodeAloneIsNotAnMsOrderAndPassesThroughWithItsOwnCode() {
        OrderFixture f = mrBrainWithText("Céphalées persistantes");
        f.obx.clear();
        Decision d = decide(f);
        assertThat(d.ofsep()).isFalse();
        assertThat(d.examCard()).isNull();
        assertThat(d.rule()).isEqualTo(RuleId.NOT_OFSEP);
        assertThat(d.defaultCodes()).containsExactly(OrderFixture.MR_BRAIN);
        assertThat(d.vendorCodes()).isEmpty();
    }

    @Test
    void aKneeMriPassesThrough() {
        OrderFixture f = OrderFixture.bare();
        f.code = OrderFixture.MR_KNEE;
        f.reason = "Douleur genou";
        Decision d = decide(f);
        assertThat(d.ofsep()).isFalse();
        assertThat(d.codesFor(org.ofsep.mwl.core.domain.Vendor.GE)).containsExactly(OrderFixture.MR_KNEE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "26118-1|LN|MR Knee", "IRMGENOU|99RIS|IRM GENOU DROIT", "IRMEP|99RIS|IRM de l'épaule gauche",
            "IRMBASSIN|99RIS|IRM pelvienne", "IRMPIED|99RIS|IRM pied et cheville", "IRMCOEUR|99RIS|IRM cardiaque",
            "IRMLOMB|99RIS|IRM rachis lombaire", "IRMPLEX|99RIS|IRM plexus brachial",
            // the second verification's: a word of the brain or the spine's list in another sense
            "HIP|L|MRI hip - femoral head", "PELV|L|MRI pelvis - cervical cancer staging",
            "CARD|L|IRM cardiaque et thoracique"})
    void anotherBodyPartOfAnMsPatientPassesThrough(String code, String scheme, String name) {
        // DG1 G35 (the patient's disease), MS named in the reason and clinical information, an MS-CONTEXT OBX: the
        // knee MRI of a patient with MS got the brain card and Gd
        OrderFixture f = mrBrainWithText("Gonalgie chez une patiente suivie pour SEP");
        f.code = new ProtocolCode(code, scheme, name);
        f.diagnosisCodes.add("G35");
        f.context("FOLLOW_UP");
        Decision d = decide(f);
        assertThat(d.ofsep()).as(name).isFalse();
        assertThat(d.rule()).isEqualTo(RuleId.NOT_OFSEP);
        assertThat(d.contrast()).isFalse();
        assertThat(d.codesFor(org.ofsep.mwl.core.domain.Vendor.GE)).containsExactly(f.code);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "IRMCER|99RIS|IRM cérébrale", "IRMRT|99RIS|IRM rachis thoracique", "IRMORB|99RIS|IRM orbites",
            "IRMMED|99RIS|IRM moelle cervico-dorsale",
            // a verification's: the brain named beside another word of the list
            "IRMCERDAI|L|IRM cérébrale - pacemaker cardiaque IRM-compatible", "MRB|L|MR Brain (legs weakness)",
            "IRMRACHIS|L|IRM rachis cervico-dorso-lombaire"})
    void aBrainOrSpineNameOrAListedCodeStaysAnMsExam(String code, String scheme, String name) {
        OrderFixture f = mrBrainWithText("Contrôle");
        f.code = new ProtocolCode(code, scheme, name);
        f.diagnosisCodes.add("G35");
        assertThat(decide(f).ofsep()).as(name).isTrue();
    }

    @Test
    void aListedCodeIsTheSitesWordWhateverItsName() {
        OrderFixture f = mrBrainWithText("Contrôle");
        // 24590-2 is listed (procedureRegions.codes) as BRAIN: its name is not read
        f.code = new ProtocolCode("24590-2", "LN", "MR Brain (knee protocol)");
        f.diagnosisCodes.add("G35");
        assertThat(decide(f).ofsep()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Suivi SEP. Dernière IRM 01/2026.|protocol is not stated",
            "Suivi SEP. Dernière IRM 01/2026 avec 3D FLAIR.|a comparable standardized prior MRI (3D FLAIR)"})
    void theRoutineReasonSaysWhetherThePriorsProtocolIsKnown(String text, String says) {
        // a prior with nothing said of its protocol was called "a comparable standardized prior MRI (3D FLAIR)"
        OrderFixture f = mrBrainWithText("Suivi SEP");
        f.obx.removeIf(o -> o.code().startsWith("PRIOR-MRI")); // the prior as the text says it, nothing coded
        f.clinicalInfo = text;
        Decision d = decide(f);
        assertThat(d.rule()).isEqualTo(RuleId.ROUTINE_FOLLOW_UP);
        assertThat(d.reasons()).anyMatch(r -> r.startsWith("OFSEP 2020: stable follow-up") && r.contains(says));
    }

    @Test
    void aCtNamingMsIsNotAnOfsepMriOrder() {
        OrderFixture f = mrBrainWithText("Suivi SEP");
        f.modality = "CT";
        f.code = new ProtocolCode("CTHEAD", "99RIS", "CT head");
        assertThat(decide(f).ofsep()).isFalse();
    }

    static Stream<Arguments> msOrderSources() {
        return Stream.of(
                Arguments.of("MS procedure code", (java.util.function.Consumer<OrderFixture>) f -> f.code = OrderFixture.MS_CODE),
                Arguments.of("MS-CONTEXT OBX", (java.util.function.Consumer<OrderFixture>) f -> f.context("FOLLOW_UP")),
                Arguments.of("DG1 G35", (java.util.function.Consumer<OrderFixture>) f -> f.diagnosisCodes.add("G35")),
                Arguments.of("DG1 G35.0 (national extension)",
                        (java.util.function.Consumer<OrderFixture>) f -> f.diagnosisCodes.add("G35.0")),
                Arguments.of("clinical info", (java.util.function.Consumer<OrderFixture>) f -> f.clinicalInfo =
                        "Patiente suivie pour une sclérose en plaques"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("msOrderSources")
    void eachSourceMakesAnMsOrder(String name, java.util.function.Consumer<OrderFixture> setup) {
        OrderFixture f = mrBrainWithText("Contrôle");
        setup.accept(f);
        Decision d = decide(f);
        assertThat(d.ofsep()).isTrue();
        assertThat(d.reasons().get(0)).startsWith("MS order:");
    }

    @Test
    void anotherIcd10CodeIsNotMs() {
        OrderFixture f = mrBrainWithText("Contrôle");
        f.diagnosisCodes.add("G43.9");
        assertThat(decide(f).ofsep()).isFalse();
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
            "SEP: poussée récente|RELAPSE",
            "SEP: poussee recente|RELAPSE",
            "SEP - POUSSÉE|RELAPSE",
            "MS relapse|RELAPSE",
            "SEP, exacerbation des symptômes|RELAPSE",
            "SEP sous natalizumab, suspicion de LEMP|PML_SUSPICION",
            "MS on natalizumab, suspected PML|PML_SUSPICION",
            "SEP, LEMP suspectée|PML_SUSPICION",
            "Bilan initial SEP|DIAGNOSIS",
            "SCI, suspicion de SEP|DIAGNOSIS",
            "CIS, MS suspected|DIAGNOSIS",
            "SEP: changement de traitement|NEW_DMT",
            "MS, switch to ocrelizumab|NEW_DMT",
            "SEP, nouveau traitement|NEW_DMT",
            "SEP et maladie intercurrente|INTERCURRENT"})
    void contextFromFreeTextIgnoresCaseAndAccents(String reason, String rule) {
        Decision d = decide(mrBrainWithText(reason));
        assertThat(d.ofsep()).isTrue();
        assertThat(d.rule()).isEqualTo(RuleId.valueOf(rule));
        assertThat(d.reasons()).anyMatch(r -> r.startsWith("Clinical context found in the order text"));
    }

    @Test
    void pmlWithoutSuspicionIsNotASuspectedPml() {
        Decision d = decide(mrBrainWithText("SEP, surveillance LEMP sous natalizumab"));
        assertThat(d.rule()).isEqualTo(RuleId.ROUTINE_FOLLOW_UP);
    }

    @Test
    void freeTextIsIgnoredWhenTheOrderCarriesMsContext() {
        OrderFixture f = mrBrainWithText("SEP: poussée");
        f.context("FOLLOW_UP");
        assertThat(decide(f).rule()).isEqualTo(RuleId.ROUTINE_FOLLOW_UP);
    }

    @Test
    void keywordsComeFromTheMapping() {
        var m = EngineHarness.edited("any: [\"poussée\", \"relapse\", \"exacerbation\", ",
                "any: [\"poussée\", \"relapse\", \"exacerbation\", \"aggravation\", ");
        assertThat(EngineHarness.decide(m, mrBrainWithText("SEP, aggravation clinique")).rule()).isEqualTo(RuleId.RELAPSE);
        assertThat(decide(mrBrainWithText("SEP, aggravation clinique")).rule()).isEqualTo(RuleId.ROUTINE_FOLLOW_UP);
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
            // a situation a RIS form or a checklist denies after it, or dates years back: history, not this MRI's reason
            "SEP. Poussée : non|ROUTINE_FOLLOW_UP",
            "SEP. Poussée récente : NON. Suspicion LEMP : non. Changement de traitement : non|ROUTINE_FOLLOW_UP",
            "SEP. Exacerbation ? Non|ROUTINE_FOLLOW_UP",
            "SEP, relapse-free for 3 years|ROUTINE_FOLLOW_UP",
            "SEP, diagnostic posé en 2018|ROUTINE_FOLLOW_UP",
            "CIS en 2019, SEP confirmée en 2020, stable|ROUTINE_FOLLOW_UP",
            "SEP, dernière poussée en 2022, stable depuis|ROUTINE_FOLLOW_UP",
            // not history: a date with a comma between dates something else; last year may be this MRI's relapse
            "Aggravation évoquant une poussée, SEP RR sous Ponvory depuis 2023|RELAPSE",
            "SEP, poussée en décembre 2025|RELAPSE",
            "SEP, switch prévu en 2027|NEW_DMT",
            // the words clinicians use
            "RRMS, new symptoms (diplopia) for 5 days|RELAPSE",
            "SEP, nouveaux symptômes depuis 5 jours|RELAPSE",
            "SEP sous Tysabri, aggravation cognitive : LEMP ?|PML_SUSPICION",
            "SEP sous Tysabri, éliminer une LEMP|PML_SUSPICION",
            "MS on Tysabri, rule out PML|PML_SUSPICION",
            "SEP sous Tysabri, pas de LEMP suspectée|ROUTINE_FOLLOW_UP",
            "SEP, relais par Ocrevus|NEW_DMT",
            // a verification's: a plan denied or declined, an intercurrent disease denied with a noun between
            "SEP, no plan for switching|ROUTINE_FOLLOW_UP",
            "SEP. Switching not planned|ROUTINE_FOLLOW_UP",
            "SEP: switching therapy discussed and declined|ROUTINE_FOLLOW_UP",
            "SEP. Pas d'infection intercurrente|ROUTINE_FOLLOW_UP",
            "SEP. Sans pathologie intercurrente|ROUTINE_FOLLOW_UP",
            "SEP, poussée, bolus de corticoïdes refusé|RELAPSE",
            // the second verification's: a switch affirmed; a suspicion of MS is a diagnosis unless a known
            // disease's word follows it
            "SEP. Switch to Kesimpta as patient refused infusions.|NEW_DMT",
            "SEP. Switch to ocrelizumab reported by the neurologist|NEW_DMT",
            "SEP. Arrêt de Gilenya. Sans délai relais par Ocrevus.|NEW_DMT",
            "Suspicion de SEP : névrite optique gauche.|DIAGNOSIS",
            "Initial work-up for possible MS, paresthesias|DIAGNOSIS",
            "SEP. Suspected MS relapse, left leg weakness|RELAPSE",
            "Suspicion de SEP secondairement progressive|ROUTINE_FOLLOW_UP",
            "RRMS diagnosed 2015 (initial work-up at another hospital)|ROUTINE_FOLLOW_UP",
            "SEP, relais par Ocrevus (introduit en 2021). Dernière IRM 11/2025 avec 3D FLAIR|ROUTINE_FOLLOW_UP",
            "SEP, relais par Ocrevus (prévu en 2027)|NEW_DMT",
            // not denials: a word after "non" or "no" (found by the review of the fixes)
            "SEP sous Tysabri. Suspicion de LEMP : non exclue|PML_SUSPICION",
            "SEP. Poussée : non traitée par corticoïdes, parésie du membre inférieur|RELAPSE",
            "MS. Relapse: no steroids given, left leg weakness for 5 days|RELAPSE",
            // not history: a date after the situation that dates something else
            "SEP. Suspicion de LEMP chez patient sous Tysabri depuis 2019|PML_SUSPICION",
            "MS. Relapse in a patient diagnosed in 2015: new left-sided weakness for 4 days|RELAPSE",
            "SEP. Poussée sous Ocrevus depuis 2021 : première depuis l'introduction|RELAPSE",
            "SEP. Poussée chez une SEP évoluant depuis 2015|RELAPSE"})
    void situationsAsCliniciansWriteThem(String reason, RuleId rule) {
        OrderFixture f = mrBrainWithText(reason);
        assertThat(decide(f).rule()).isEqualTo(rule);
    }

    @ParameterizedTest(name = "\"{0}\" -> MS order")
    @CsvSource(delimiter = '|', value = {"RRMS follow-up", "SPMS", "PPMS, annual MRI", "Syndrome cliniquement isolé",
            "Clinically isolated syndrome", "Sclerose en plaque, suivi", "SEP-RR"})
    void msNamedTheWaysCliniciansWriteIt(String reason) {
        assertThat(decide(mrBrainWithText(reason)).ofsep()).isTrue();
    }

    @Test
    void anUnknownMsContextValueIsReportedNotGuessed() {
        OrderFixture f = new OrderFixture().context("FLARE");
        Decision d = decide(f);
        assertThat(d.rule()).isEqualTo(RuleId.ROUTINE_FOLLOW_UP);
        assertThat(d.reasons()).anyMatch(r -> r.contains("FLARE"));
    }
}
