package org.ofsep.mwl.core.order;

/**
 * One allergy the order states (HL7 AL1), as the RIS sent it.
 *
 * @param type  AL1-2 allergen type code (HL7 table 0127: DA drug, MA miscellaneous, MC contraindication...), may
 *              be null
 * @param code  AL1-3.1 allergen code, may be null
 * @param text  AL1-3.2 allergen text (else the code), may be null
 */
public record Allergy(String type, String code, String text) {

    /** The allergen as a person reads it: its text, else its code; null when neither. */
    public String allergen() {
        if (text != null && !text.isBlank()) {
            return text.strip();
        }
        return code == null || code.isBlank() ? null : code.strip();
    }
}
