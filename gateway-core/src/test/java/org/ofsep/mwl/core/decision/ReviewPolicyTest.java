package org.ofsep.mwl.core.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ofsep.mwl.core.domain.ContrastDose;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ExamCard;
import org.ofsep.mwl.core.domain.ReviewState;
import org.ofsep.mwl.core.mapping.MappingException;
import org.ofsep.mwl.core.mapping.MappingLoader;
import org.ofsep.mwl.core.mapping.MappingSnapshot;
import org.ofsep.mwl.core.mapping.ShippedMapping;

/** The review policy on the shipped mapping: conditions, what the console receives meanwhile, overrides. */
class ReviewPolicyTest {
    private final MappingSnapshot m = ShippedMapping.load();

    private static Decision full(boolean contrast, boolean optional, ContrastDose dose, List<String> alerts) {
        return new Decision(true, ExamCard.FULL, contrast, optional, false, false, optional ? org.ofsep.mwl.core.domain.RuleId.RELAPSE : org.ofsep.mwl.core.domain.RuleId.DIAGNOSIS,
                List.of("because"), alerts, dose, null, List.of(), null, null);
    }

    private static final ContrastDose DOSE = new ContrastDose("gadobutrol", 7.0, 7.0);

    @Test
    void eachDefaultConditionPutsTheDecisionToReview() {
        assertThat(ReviewPolicy.assess(m, full(true, false, DOSE, List.of())).state()).isEqualTo(ReviewState.AUTO);
        assertThat(ReviewPolicy.assess(m, full(true, false, DOSE,
                List.of("Gd with eGFR 24 < 30: radiologist to confirm"))).why()).singleElement().asString()
                .startsWith("RENAL_ALERT");
        assertThat(ReviewPolicy.assess(m, full(true, false, DOSE, List.of("Gd in pregnancy: radiologist to confirm")))
                .why()).singleElement().asString().startsWith("PREGNANCY");
        assertThat(ReviewPolicy.assess(m, full(true, false, null, List.of("Gd: no patient weight, dose not computed")))
                .why()).singleElement().asString().startsWith("NO_WEIGHT_FOR_GD");
        assertThat(ReviewPolicy.assess(m, full(true, true, DOSE, List.of())).why()).singleElement().asString()
                .startsWith("GD_OPTIONAL");
        assertThat(ReviewPolicy.assess(m, full(true, false, DOSE, List.of("Conflict: eGFR 80 (OBX-5) but 24 in NTE-3:"
                + " the structured value is used"))).why()).singleElement().asString().startsWith("CONFLICTING_FACTS");
        assertThat(ReviewPolicy.assess(m, full(true, false, DOSE,
                List.of("Gd with a gadolinium allergy: radiologist to confirm"))).why()).singleElement().asString()
                .isEqualTo("GD_ALLERGY: Gd with a gadolinium allergy: radiologist to confirm");
        // without Gd the allergy holds nothing
        assertThat(ReviewPolicy.assess(m, full(false, false, null,
                List.of("Gd with a gadolinium allergy: radiologist to confirm"))).state()).isEqualTo(ReviewState.AUTO);
        // a site whose when: list predates GD_ALLERGY does not review it until it adds it
        MappingSnapshot older = MappingLoader.parse(ShippedMapping.edit(", GD_ALLERGY]", "]")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), "m.yaml");
        assertThat(ReviewPolicy.assess(older, full(true, false, DOSE,
                List.of("Gd with a gadolinium allergy: radiologist to confirm"))).state()).isEqualTo(ReviewState.AUTO);
        // a pass-through order is never reviewed
        assertThat(ReviewPolicy.assess(m, Decision.passThrough(null)).state()).isEqualTo(ReviewState.AUTO);
    }

    @Test
    void whileHeldTheConsoleGetsTheCardWithoutGd() {
        Decision rules = full(true, false, DOSE, List.of("Gd with eGFR 24 < 30: radiologist to confirm"));
        Decision held = ReviewPolicy.published(m, rules, ReviewState.TO_REVIEW);
        assertThat(held.contrast()).isFalse();
        assertThat(held.contrastDose()).isNull();
        assertThat(held.examCard()).isEqualTo(ExamCard.FULL);
        assertThat(held.defaultCodes().get(0).value()).isEqualTo("OFSEP-FULL");
        assertThat(held.alerts()).isEqualTo(rules.alerts());
        assertThat(held.reasons().get(0)).startsWith("Awaiting the radiologist");
        assertThat(ReviewPolicy.awaitingDescription(m, held)).isEqualTo("OFSEP FULL - sans Gd - attente radiologue");
        // confirmed or AUTO: unchanged
        assertThat(ReviewPolicy.published(m, rules, ReviewState.CONFIRMED)).isSameAs(rules);
    }

    @Test
    void anOverrideRebuildsCodesAndDose() {
        Decision rules = full(false, false, null, List.of());
        Decision withGd = ReviewPolicy.override(m, rules, ExamCard.FULL, true, List.of("SWI"), 62.0, "dr", "why");
        assertThat(withGd.contrast()).isTrue();
        assertThat(withGd.contrastDose().ml()).isEqualTo(6.2);
        assertThat(withGd.defaultCodes().get(0).value()).isEqualTo("OFSEP-FULL-GD");
        assertThat(withGd.optionalSequences()).containsExactly("SWI");
        assertThat(withGd.reasons().get(0)).contains("override by dr").contains("why");
        assertThatThrownBy(() -> ReviewPolicy.override(m, rules, ExamCard.ROUTINE, true, null, 62.0, "dr", "x"))
                .hasMessageContaining("no gadolinium version");
    }

    /**
     * A spinal cord MRI stays one: an override of a spine-only step with a brain card published "OFSEP FULL + MOELLE"
     * (a brain exam nobody ordered; found by an independent review). Gd or not is the radiologist's choice.
     */
    @Test
    void anOverrideOfASpineOnlyStepKeepsItASpineMri() {
        Decision spine = new Decision(true, null, true, true, true, false, org.ofsep.mwl.core.domain.RuleId.RELAPSE,
                List.of("because"), List.of("Gd with eGFR 25 < 30: radiologist to confirm"), DOSE, null, List.of(),
                null, null);
        assertThatThrownBy(() -> ReviewPolicy.override(m, spine, ExamCard.FULL, false, null, 70.0, "dr", "eGFR"))
                .hasMessageContaining("spinal cord MRI");
        Decision noGd = ReviewPolicy.override(m, spine, null, false, null, 70.0, "dr", "eGFR 25");
        assertThat(noGd.alerts()).as("no Gd: no alert about injecting it").isEmpty();
        assertThat(noGd.examCard()).isNull();
        assertThat(noGd.spine()).isTrue();
        assertThat(noGd.contrast()).isFalse();
    }

    @Test
    void theAwaitingDescriptionMustFitInSixtyFourCharacters() {
        String tooLong = "x".repeat(50) + " {card}";
        assertThatThrownBy(() -> MappingLoader.parse(ShippedMapping.edit(
                "awaitingDescription: \"OFSEP {card} - sans Gd - attente radiologue\"",
                "awaitingDescription: \"" + tooLong + "\"").getBytes(java.nio.charset.StandardCharsets.UTF_8), "m.yaml"))
                .isInstanceOf(MappingException.class).hasMessageContaining("review.awaitingDescription");
        MappingSnapshot off = MappingLoader.parse(ShippedMapping.edit(
                "when: [RENAL_ALERT, PREGNANCY, NO_WEIGHT_FOR_GD, GD_OPTIONAL, CONFLICTING_FACTS, GD_ALLERGY]", "when: []")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), "m.yaml");
        assertThat(ReviewPolicy.assess(off, full(true, true, null, List.of("Gd with eGFR 24 < 30"))).state())
                .isEqualTo(ReviewState.AUTO);
    }
}
