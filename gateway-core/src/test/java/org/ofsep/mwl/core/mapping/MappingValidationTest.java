package org.ofsep.mwl.core.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each configuration error an admin can make is refused with the file, the line and the field path. Each case
 * edits the shipped mapping once; the expected line is the line of the edited text.
 */
class MappingValidationTest {
    private static final String FILE = "conf/mapping.yaml";

    /**
     * @param from     text of the shipped mapping (exactly once)
     * @param to       replacement
     * @param lineOf   text whose first line in the edited file is the expected error line
     * @param field    expected field path
     * @param message  expected fragment of the message
     */
    private static Arguments invalid(String name, String from, String to, String lineOf, String field, String message) {
        return Arguments.of(name, from, to, lineOf, field, message);
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                invalid("unknown key", "  - name: \"IRM 2 - GE\"\n", "  - name: \"IRM 2 - GE\"\n    colour: blue\n",
                        "colour: blue", "stations[1].colour", "unknown key 'colour'"),
                invalid("unknown top-level key", "stationRules:\n", "stationRule:\n  x: 1\nstationRules:\n",
                        "stationRule:", "stationRule", "unknown key 'stationRule'"),
                invalid("linear agent gadodiamide", "      - name: gadoteridol\n", "      - name: gadodiamide\n",
                        "name: gadodiamide", "policies.dose.agents[2].name", "linear Gd agent"),
                invalid("linear agent by brand name", "      - name: gadoteridol\n", "      - name: MultiHance\n",
                        "name: MultiHance", "policies.dose.agents[2].name", "linear Gd agent"),
                invalid("unknown agent", "      - name: gadoteridol\n", "      - name: gadofoo\n",
                        "name: gadofoo", "policies.dose.agents[2].name", "not a known macrocyclic"),
                invalid("wrong concentration", "        concentrationMmolPerMl: 1.0\n",
                        "        concentrationMmolPerMl: 0.5\n", "concentrationMmolPerMl: 0.5\n      - name: gadoterate",
                        "policies.dose.agents[0].concentrationMmolPerMl", "gadobutrol is 1.0 mmol/mL"),
                invalid("selected agent not configured", "selectedAgent: gadobutrol", "selectedAgent: gadovist",
                        "selectedAgent: gadovist", "policies.dose.selectedAgent", "not one of policies.dose.agents"),
                invalid("missing card", "  PML_SHORT:\n    budgetMinutes: 10\n    sequences:\n"
                        + "      - { name: \"Axial DWI b=1000 + ADC\", minutes: 2 }\n"
                        + "      - { name: \"3D FLAIR\", minutes: 6 }\n"
                        + "      - { name: \"3D DIR\", minutes: 7, optional: true }\n", "",
                        "examCards:", "examCards", "missing card PML_SHORT"),
                invalid("card over its time budget", "    budgetMinutes: 15\n", "    budgetMinutes: 12\n",
                        "budgetMinutes: 12", "examCards.ROUTINE.budgetMinutes",
                        "take 13 min, over its time budget of 12 min"),
                invalid("code value over 16 characters", "value: OFSEP-ROUTINE, scheme: 99OFSEP",
                        "value: OFSEP-ROUTINE-LONGER, scheme: 99OFSEP", "OFSEP-ROUTINE-LONGER",
                        "protocolCodes[2].code.value", "DICOM allows 16"),
                invalid("empty code value", "value: OFSEP-PML, scheme: 99OFSEP", "value: \"\", scheme: 99OFSEP",
                        "value: \"\", scheme: 99OFSEP", "protocolCodes[3].code.value", "must not be empty"),
                invalid("vendor code meaning over 64 characters", "meaning: \"OFSEP^Spine\" }",
                        "meaning: \"" + "x".repeat(65) + "\" }", "xxxxx", "protocolCodes[5].vendors.SIEMENS.meaning",
                        "DICOM allows 64"),
                invalid("missing protocol code", "  - card: PML_SHORT\n    contrast: false\n",
                        "  - card: PML_SHORT\n    contrast: true\n", "protocolCodes:", "protocolCodes",
                        "missing protocol code for PML_SHORT without contrast"),
                invalid("duplicate AE title", "aeTitle: MR_GE", "aeTitle: MR_SIEMENS",
                        "aeTitle: MR_SIEMENS\n    vendor: GE", "stations[1].aeTitle", "duplicate AE title 'MR_SIEMENS'"),
                invalid("AE title over 16 characters", "aeTitle: MR_CANON", "aeTitle: MR_CANON_VANTAGE_1",
                        "MR_CANON_VANTAGE_1", "stations[3].aeTitle", "longer than 16"),
                invalid("station name over 16 characters (Scheduled Station Name, SH)", "name: \"IRM 4 - Canon\"",
                        "name: \"IRM 4 - Canon Vantage\"", "IRM 4 - Canon Vantage", "stations[3].name",
                        "DICOM allows 16"),
                invalid("unknown vendor", "vendor: CANON", "vendor: TOSHIBA", "vendor: TOSHIBA",
                        "stations[3].vendor", "TOSHIBA"),
                invalid("station rule names an unknown station", "      station: MR_GE\n",
                        "      station: MR_NOPE\n", "station: MR_NOPE", "stationRules.rules[1].station",
                        "unknown station 'MR_NOPE'"),
                invalid("default station unknown", "  default: MR_SIEMENS", "  default: MR_X", "default: MR_X",
                        "stationRules.default", "unknown station 'MR_X'"),
                invalid("station rule field not an HL7 key", "    - field: OBR-21\n      equals: IRM3",
                        "    - field: OBR21\n      equals: IRM3", "field: OBR21", "stationRules.rules[2].field",
                        "not an HL7 field key"),
                invalid("order control key without underscore", "  NW_: SCHEDULE", "  NW: SCHEDULE",
                        "NW: SCHEDULE", "orderControl.NW", "write NW_ for an empty ORC-5"),
                invalid("unknown order action", "XO_SC: UPDATE", "XO_SC: REDO", "XO_SC: REDO", "orderControl.XO_SC",
                        "REDO"),
                invalid("duplicate key", "  NW_SC: SCHEDULE\n", "  NW_SC: SCHEDULE\n  NW_SC: UPDATE\n",
                        "NW_SC: UPDATE", "orderControl.NW_SC", "Duplicate field 'NW_SC'"),
                invalid("YAML syntax error", "stations:\n  - name: \"IRM 1 - Siemens\"",
                        "stations:\n  - name: \"IRM 1 - Siemens", "- name: \"IRM 1", "stations[0].name",
                        "while parsing"),
                invalid("Gd policy for a rule where Gd is not optional", "  NEW_DMT:\n    daysBefore: 90\n",
                        "  NEW_DMT:\n    inject: true\n    daysBefore: 90\n", "inject: true\n    daysBefore",
                        "rules.NEW_DMT.inject", "Gd is decided by this rule"),
                invalid("ROUTINE with contrast", "  - card: ROUTINE\n    contrast: false\n",
                        "  - card: ROUTINE\n    contrast: true\n", "contrast: true\n    code: { value: OFSEP-ROUTINE",
                        "protocolCodes[2].contrast", "ROUTINE is never injected"),
                invalid("re-baseline window reversed", "    fromMonths: 4\n", "    fromMonths: 10\n",
                        "toMonths: 9", "rules.REBASELINE.toMonths", "must not be less than fromMonths"),
                invalid("unknown suggested sequence", "    addSequences: [\"3D DIR\", \"SWI\"]",
                        "    addSequences: [\"3D DIRX\", \"SWI\"]", "addSequences", "rules.PML_SUSPICION.addSequences[0]",
                        "not an optional sequence of examCards.FULL"),
                invalid("negative field strength", "    fieldStrengthTesla: 1.5\n    modality: MR\n    fuzzyNames: false\n"
                        + "  - name: \"IRM 3", "    fieldStrengthTesla: -1.5\n    modality: MR\n    fuzzyNames: false\n"
                        + "  - name: \"IRM 3", "fieldStrengthTesla: -1.5", "stations[1].fieldStrengthTesla",
                        "must be greater than 0"),
                invalid("missing section", "policies:\n", "policiesX:\n", "policiesX:", "policiesX", "unknown key"),
                // clinical settings out of range: a typo would reach every patient (found by an independent review:
                // doseMmolPerKg: 1 published 72 mL of gadobutrol for 72 kg, AUTO)
                invalid("ten times the OFSEP dose", "    doseMmolPerKg: 0.1", "    doseMmolPerKg: 1", "doseMmolPerKg: 1",
                        "policies.dose.doseMmolPerKg", "must be from 0.025 to 0.1"),
                invalid("field strength below 1 T", "    minimumTesla: 1.5", "    minimumTesla: 0.3", "minimumTesla: 0.3",
                        "policies.fieldStrength.minimumTesla", "at least 1.5 T"),
                invalid("JCV cutoff as a percentage", "    jcvPositivityCutoff: 0.40", "    jcvPositivityCutoff: 40",
                        "jcvPositivityCutoff: 40", "rules.PML_SCREENING.jcvPositivityCutoff", "not a percentage"),
                invalid("a 70 T magnet", "    fieldStrengthTesla: 1.5\n    modality: MR\n    fuzzyNames: false\n"
                        + "  - name: \"IRM 3", "    fieldStrengthTesla: 70\n    modality: MR\n    fuzzyNames: false\n"
                        + "  - name: \"IRM 3", "fieldStrengthTesla: 70", "stations[1].fieldStrengthTesla",
                        "must be from 0.1 to 11.7"),
                invalid("eGFR alert threshold of 3", "    egfrBelow: 30", "    egfrBelow: 3", "egfrBelow: 3",
                        "policies.safetyAlerts.egfrBelow", "must be from 15 to 90"),
                invalid("PML interval set in nextMriMonths", "    suggestedSequences: [\"3D DIR\"]\n",
                        "    suggestedSequences: [\"3D DIR\"]\n    nextMriMonths: 3\n", "nextMriMonths: 3\n  ROUTINE",
                        "rules.PML_SCREENING.nextMriMonths", "intervalMonthsHighIndex"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void refusedWithFileLineAndField(String name, String from, String to, String lineOf, String field,
                                     String message) {
        String yaml = ShippedMapping.edit(from, to);
        MappingException e = catchThrowableOfType(MappingException.class, () -> MappingLoader.parse(yaml, FILE));
        assertThat(e).as("refused").isNotNull();
        int expectedLine = lineOf(yaml, lineOf);
        assertThat(e.errors()).as(e.getMessage()).anySatisfy(err -> {
            assertThat(err.file()).isEqualTo(FILE);
            assertThat(err.field()).isEqualTo(field);
            assertThat(err.message()).contains(message);
            if (name.contains("syntax")) {
                // the YAML parser reports where it noticed the problem, at or after the broken line
                assertThat(err.line()).isBetween(expectedLine, expectedLine + 10);
            } else {
                assertThat(err.line()).isEqualTo(expectedLine);
            }
            assertThat(err.toString()).startsWith(FILE + ":" + err.line() + ": ");
        });
        assertThat(e.getMessage()).contains(FILE + ":");
    }

    private static int lineOf(String text, String fragment) {
        int i = text.indexOf(fragment);
        assertThat(i).as("fragment in edited text: " + fragment).isGreaterThanOrEqualTo(0);
        return (int) text.substring(0, i).chars().filter(c -> c == '\n').count() + 1;
    }

    @Test
    void everyErrorIsReportedAtOnce() {
        String yaml = ShippedMapping.edit("aeTitle: MR_GE", "aeTitle: MR_SIEMENS")
                .replace("      - name: gadoteridol\n", "      - name: gadodiamide\n")
                .replace("    budgetMinutes: 10\n", "    budgetMinutes: 5\n");
        MappingException e = catchThrowableOfType(MappingException.class, () -> MappingLoader.parse(yaml, FILE));
        assertThat(e.errors()).extracting(MappingError::field).contains("stations[1].aeTitle",
                "policies.dose.agents[2].name", "examCards.PML_SHORT.budgetMinutes");
    }

    @Test
    void validateReturnsTheErrorsOfAFileAndNoneForTheShippedOne(@TempDir Path dir) throws Exception {
        assertThat(MappingHolder.validate(ShippedMapping.FILE)).isEmpty();
        Path bad = dir.resolve("mapping.yaml");
        Files.writeString(bad, ShippedMapping.edit("      - name: gadoteridol\n", "      - name: gadopentetate\n"));
        List<MappingError> errors = MappingHolder.validate(bad);
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).toString()).startsWith(bad + ":").contains("policies.dose.agents[2].name")
                .contains("linear");
        assertThat(MappingHolder.validate(dir.resolve("absent.yaml"))).singleElement()
                .satisfies(err -> assertThat(err.message()).contains("cannot read"));
    }

    @Test
    void emptyFileIsAnError() {
        MappingException e = catchThrowableOfType(MappingException.class, () -> MappingLoader.parse("", FILE));
        assertThat(e.errors()).singleElement().satisfies(err -> assertThat(err.message()).contains("empty"));
    }
}
