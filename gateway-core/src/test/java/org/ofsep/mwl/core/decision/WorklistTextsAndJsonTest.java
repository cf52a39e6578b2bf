package org.ofsep.mwl.core.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ofsep.mwl.core.decision.EngineHarness.decide;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.domain.ContrastDose;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.RuleId;

class WorklistTextsAndJsonTest {

    @Test
    void spsDescriptionInFrench() {
        assertThat(WorklistTexts.spsDescription(decide(new OrderFixture()), "IRM SEP"))
                .isEqualTo("OFSEP ROUTINE - sans gadolinium");
        assertThat(WorklistTexts.spsDescription(decide(new OrderFixture().context("NEW_DMT"))))
                .isEqualTo("OFSEP FULL - avec gadolinium");
        assertThat(WorklistTexts.spsDescription(decide(new OrderFixture().context("DIAGNOSIS"))))
                .isEqualTo("OFSEP FULL + MOELLE - avec gadolinium");
        assertThat(WorklistTexts.spsDescription(decide(new OrderFixture().context("RELAPSE"))))
                .isEqualTo("OFSEP FULL - avec gadolinium (optionnel)");
        assertThat(WorklistTexts.spsDescription(decide(new OrderFixture().dmt("natalizumab",
                OrderFixture.EXAM.minusYears(2)).jcv("POS", null)))).isEqualTo("OFSEP PML SHORT - sans gadolinium");
        assertThat(WorklistTexts.spsDescription(Decision.passThrough(OrderFixture.MR_KNEE), "IRM genou droit"))
                .isEqualTo("IRM genou droit");
        assertThat(WorklistTexts.spsDescription(Decision.passThrough(OrderFixture.MR_KNEE), "x".repeat(80)))
                .hasSize(64);
    }

    @Test
    void requestedContrastAgent() {
        assertThat(WorklistTexts.requestedContrastAgent(decide(new OrderFixture().context("DIAGNOSIS"))))
                .isEqualTo("gadobutrol 7.00 mmol 7.0 mL");
        assertThat(WorklistTexts.requestedContrastAgent(decide(new OrderFixture()))).isNull();
        OrderFixture noWeight = new OrderFixture().context("DIAGNOSIS");
        noWeight.weightKg = null;
        assertThat(WorklistTexts.requestedContrastAgent(decide(noWeight)))
                .isEqualTo("Gd macrocyclique 0.1 mmol/kg - poids inconnu").hasSizeLessThanOrEqualTo(64);
    }

    private static Decision withTexts(List<String> reasons, List<String> alerts) {
        return new Decision(true, ExamCard.FULL, true, false, false, false, RuleId.DIAGNOSIS, reasons, alerts,
                new ContrastDose("gadobutrol", 7, 7), 12, List.of(), List.of(), Map.of());
    }

    @Test
    void procedureCommentsJoinTheReasonsWithinTheLtLength() {
        assertThat(WorklistTexts.procedureComments(withTexts(List.of("a", "b"), List.of()))).isEqualTo("a\nb");
        String long1 = "r".repeat(6000);
        assertThat(WorklistTexts.procedureComments(withTexts(List.of(long1, long1), List.of()))).hasSize(10240);
    }

    @Test
    void medicalAlertsAreSeparateLoValues() {
        Decision d = withTexts(List.of(), List.of("Gd in pregnancy: radiologist to confirm", "y".repeat(70),
                "a\\b"));
        assertThat(WorklistTexts.medicalAlerts(d)).containsExactly("Gd in pregnancy: radiologist to confirm",
                "y".repeat(61) + "...", "a/b");
        assertThat(WorklistTexts.medicalAlerts(withTexts(List.of(), List.of()))).isEmpty();
    }

    @Test
    void aLongAlertIsCutVisiblyAtAWordNeverInsideAValue() {
        // the conflict alert quotes the order: cut raw at 64 it read "... but 25 mL/min" with the rest gone unmarked
        String conflict = "Conflict: eGFR 75 mL/min/1.73m2 (OBX-5 LN 62238-1) but 25 mL/min/1.73m2 in OBR-13"
                + " (\"bilan initial, DFG 25 mL/min\"): the structured value is used";
        List<String> alerts = WorklistTexts.medicalAlerts(withTexts(List.of(), List.of(conflict)));
        assertThat(alerts).containsExactly("Conflict: eGFR 75 mL/min/1.73m2 (OBX-5 LN 62238-1) but 25...");
        assertThat(alerts.get(0)).hasSizeLessThanOrEqualTo(64);
    }

    @Test
    void anAllergenWrittenAtLengthIsCutVisiblyForTheWorklistAndKeptWholeInTheDecision() {
        String longText = "Amoxicilline/acide clavulanique (Augmentin) : eruption generalisee en 2019";
        Decision d = new Decision(true, ExamCard.FULL, true, false, false, false, RuleId.DIAGNOSIS, List.of(),
                List.of(), new ContrastDose("gadobutrol", 7, 7), 12, List.of(), List.of(), Map.of(),
                List.of(new org.ofsep.mwl.core.domain.Fact("allergy", longText, "AL1-3 #1", longText),
                        new org.ofsep.mwl.core.domain.Fact("allergy", "iode\\gado", "AL1-3 #2", "iode\\gado")));
        assertThat(d.allergies()).containsExactly(longText, "iode\\gado");
        assertThat(WorklistTexts.allergies(d))
                .containsExactly("Amoxicilline/acide clavulanique (Augmentin) : eruption...", "iode/gado");
        assertThat(WorklistTexts.allergies(null)).isEmpty();
    }

    @Test
    void decisionJsonHasTheCliFields() throws Exception {
        OrderFixture f = new OrderFixture().context("DIAGNOSIS");
        JsonNode j = new ObjectMapper().readTree(DecisionJson.render(decide(f)));
        assertThat(j.get("ofsep").asBoolean()).isTrue();
        assertThat(j.get("examCard").asText()).isEqualTo("FULL");
        assertThat(j.get("contrast").asBoolean()).isTrue();
        assertThat(j.get("contrastOptional").asBoolean()).isFalse();
        assertThat(j.get("spine").asBoolean()).isTrue();
        assertThat(j.get("spineDue").asBoolean()).isFalse();
        assertThat(j.get("rule").asText()).isEqualTo("DIAGNOSIS");
        assertThat(j.get("reasons").isArray()).isTrue();
        assertThat(j.get("reasons").toString()).contains("OFSEP 2020: Gd at diagnosis (first MRI)");
        assertThat(j.get("alerts").isArray()).isTrue();
        assertThat(j.get("contrastDose").get("agent").asText()).isEqualTo("gadobutrol");
        assertThat(j.get("contrastDose").get("mmol").asDouble()).isEqualTo(7.0);
        assertThat(j.get("contrastDose").get("ml").asDouble()).isEqualTo(7.0);
        assertThat(j.get("nextMriMonths").isNull()).isTrue();
        assertThat(j.get("optionalSequences").get(0).asText()).isEqualTo("SWI");
        assertThat(j.get("protocolCodes").get("default").get(0).get("value").asText()).isEqualTo("OFSEP-FULL-GD");
        assertThat(j.get("protocolCodes").get("SIEMENS").get(0).get("value").asText()).isEqualTo("OFSEP_FULL_GD");
    }

    @Test
    void decisionJsonForAPassThroughOrder() throws Exception {
        JsonNode j = new ObjectMapper().readTree(DecisionJson.render(Decision.passThrough(OrderFixture.MR_KNEE)));
        assertThat(j.get("ofsep").asBoolean()).isFalse();
        assertThat(j.get("examCard").isNull()).isTrue();
        assertThat(j.get("contrastDose").isNull()).isTrue();
        assertThat(j.get("protocolCodes").get("GE").get(0).get("value").asText()).isEqualTo("26118-1");
    }
}
