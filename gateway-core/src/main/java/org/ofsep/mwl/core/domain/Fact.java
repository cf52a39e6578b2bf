package org.ofsep.mwl.core.domain;

/**
 * One clinical fact the gateway read from an order, with where it came from.
 *
 * @param name   what it is: treatment, treatmentStart, plannedTreatmentStart, priorBrainMri, priorMri3dFlair,
 *               lastSpineMri, jcvStatus, jcvIndex, egfr, creatinine, pregnancy, hcg, weight, gdAllergy
 *               (the allergen, AL1 or text), allergy (another AL1 allergen)
 * @param value  the value as the decision used it (ISO dates, numbers in the base unit with the unit)
 * @param source the HL7 field it was read from, e.g. "OBR-13", "NTE-3", "OBX-5 LN 62238-1"
 * @param text   the words or the raw value it came from, as the RIS sent them (null when computed)
 */
public record Fact(String name, String value, String source, String text) {

    /** "treatment ocrelizumab (OBR-13: "sous Ocrevus depuis mars 2022")", for the decision's reasons. */
    public String describe() {
        return label(name) + " " + value + " (" + source + (text == null || text.isBlank() ? "" : ": \"" + text + "\"")
                + ")";
    }

    public static String label(String name) {
        return switch (name) {
            case "treatment" -> "treatment";
            case "treatmentStart" -> "treatment start";
            case "plannedTreatmentStart" -> "planned treatment start";
            case "priorBrainMri" -> "previous brain MRI";
            case "priorMri3dFlair" -> "previous MRI with 3D FLAIR";
            case "lastSpineMri" -> "last spinal cord MRI";
            case "jcvStatus" -> "JCV";
            case "jcvIndex" -> "JCV index";
            case "egfr" -> "eGFR";
            case "creatinine" -> "creatinine";
            case "pregnancy" -> "pregnancy";
            case "hcg" -> "hCG";
            case "weight" -> "weight";
            case "gdAllergy" -> "allergy to gadolinium";
            case "allergy" -> "allergy";
            default -> name;
        };
    }
}
