package org.ofsep.mwl.core.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A mapping of the layout before the rule table is refused with where each setting goes, and converts exactly. */
class LegacyLayoutTest {
    private static final String FILE = "conf/mapping.yaml";

    private static String legacy() throws IOException {
        try (InputStream in = LegacyLayoutTest.class.getResourceAsStream("/mapping/legacy-layout-mapping.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int lineOf(String text, String fragment) {
        int i = text.indexOf(fragment);
        assertThat(i).isGreaterThanOrEqualTo(0);
        return (int) text.substring(0, i).chars().filter(c -> c == '\n').count() + 1;
    }

    @Test
    void theOldLayoutIsRefusedWithOneErrorPerOldKeyAtItsLineSayingWhereItGoes() throws IOException {
        String yaml = legacy();
        MappingException e = catchThrowableOfType(MappingException.class, () -> MappingLoader.parse(yaml, FILE));
        assertThat(e).isNotNull();
        List<MappingError> errors = e.errors();
        assertThat(errors).extracting(MappingError::field).containsExactly("rules.newDmt", "rules.rebaseline",
                "rules.pmlScreening", "rules.diagnosis", "rules.pmlSuspicion", "rules.spineIntervalYears",
                "rules.minFieldStrengthTesla", "rules.egfrAlertBelow", "contrast", "contrastPolicy.RELAPSE",
                "contrastPolicy.PML_SUSPICION", "contrastPolicy.INTERCURRENT", "nextMriMonths.NEW_DMT",
                "nextMriMonths.REBASELINE", "nextMriMonths.NO_COMPARABLE_PRIOR", "nextMriMonths.ROUTINE_FOLLOW_UP");
        assertThat(errors).allSatisfy(err -> {
            assertThat(err.file()).isEqualTo(FILE);
            assertThat(err.message()).startsWith("old mapping layout: write this setting as ")
                    .contains("gateway upgrade-mapping");
        });
        MappingError newDmt = errors.get(0);
        assertThat(newDmt.line()).isEqualTo(lineOf(yaml, "  newDmt:"));
        assertThat(newDmt.message()).contains("as rules.NEW_DMT ");
        MappingError relapse = errors.stream().filter(x -> x.field().equals("contrastPolicy.RELAPSE")).findFirst()
                .orElseThrow();
        assertThat(relapse.line()).isEqualTo(lineOf(yaml, "  RELAPSE: true"));
        assertThat(relapse.message()).contains("as rules.RELAPSE.inject ");
        MappingError field = errors.stream().filter(x -> x.field().equals("rules.minFieldStrengthTesla"))
                .findFirst().orElseThrow();
        assertThat(field.message()).contains("as policies.fieldStrength.minimumTesla ");
        assertThat(errors.stream().filter(x -> x.field().equals("contrast")).findFirst().orElseThrow().message())
                .contains("as policies.dose ");
    }

    @Test
    void theConverterGivesTheSameSettingsAsTheShippedMapping() throws IOException {
        // a site that took the later sections (after protocolCodes) before upgrading: the converter keeps the
        // sections it does not move
        String shipped = ShippedMapping.text();
        int codes = shipped.indexOf("\nprotocolCodes:");
        int after = shipped.indexOf("\n# ", codes);
        String withPriors = legacy() + "\n" + shipped.substring(after + 1);
        String upgraded = MappingLoader.upgrade(withPriors.getBytes(StandardCharsets.UTF_8));
        assertThat(upgraded).isNotNull();
        MappingSnapshot converted = MappingLoader.parse(upgraded, "upgraded.yaml");
        assertThat(converted.document()).isEqualTo(ShippedMapping.load().document());
    }

    /**
     * Every old-layout file predates GD_ALLERGY: a site's own review.when converted as it was published Gd for a
     * patient with a gadolinium allergy without a radiologist, and nothing warned (found by an independent review).
     */
    @Test
    void theConverterAsksForReviewOfAGadoliniumAllergy() throws IOException {
        String shipped = ShippedMapping.text();
        String review = shipped.substring(shipped.indexOf("\nreview:") + 1);
        String oldReview = review.replace("when: [RENAL_ALERT, PREGNANCY, NO_WEIGHT_FOR_GD, GD_OPTIONAL, CONFLICTING_FACTS,"
                + " GD_ALLERGY]", "when: [RENAL_ALERT, PREGNANCY, NO_WEIGHT_FOR_GD, GD_OPTIONAL, CONFLICTING_FACTS]");
        assertThat(oldReview).isNotEqualTo(review);
        String upgraded = MappingLoader.upgrade((legacy() + "\n" + oldReview).getBytes(StandardCharsets.UTF_8));
        MappingSnapshot converted = MappingLoader.parse(upgraded, "upgraded.yaml");
        assertThat(converted.document().review().when()).contains(MappingDocument.ReviewCondition.GD_ALLERGY)
                .hasSize(6);
    }

    @Test
    void theCurrentLayoutNeedsNoConversion() {
        assertThat(MappingLoader.upgrade(ShippedMapping.text().getBytes(StandardCharsets.UTF_8))).isNull();
    }
}
