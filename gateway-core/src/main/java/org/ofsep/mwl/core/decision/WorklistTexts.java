package org.ofsep.mwl.core.decision;

import java.util.ArrayList;
import java.util.List;
import org.ofsep.mwl.core.domain.ContrastDose;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.order.FreeText;

/**
 * The human-readable worklist attributes derived from a decision, within their DICOM value lengths, for the
 * store when it builds a {@link org.ofsep.mwl.core.domain.WorklistItem}. The console operator reads them, so
 * the SPS description is in French like the OFSEP exam cards on site.
 */
public final class WorklistTexts {
    /** LO: Scheduled Procedure Step Description (0040,0007), Requested Contrast Agent (0032,1070), Medical Alerts. */
    public static final int LO_MAX = 64;
    /** LT: Requested Procedure Comments (0040,1400). */
    public static final int LT_MAX = 10240;

    private WorklistTexts() {
    }

    /**
     * Scheduled Procedure Step Description, e.g. "OFSEP ROUTINE - sans gadolinium" or
     * "OFSEP FULL + MOELLE - avec gadolinium"; for a pass-through order the RIS's own description.
     */
    public static String spsDescription(Decision d, String requestedProcedureDescription) {
        if (d == null || !d.ofsep()) {
            return truncate(requestedProcedureDescription, LO_MAX);
        }
        StringBuilder sb = new StringBuilder("OFSEP ");
        if (d.examCard() != null) {
            sb.append(d.examCard().name().replace('_', ' '));
            if (d.spine()) {
                sb.append(" + MOELLE");
            }
        } else {
            sb.append("MOELLE");
        }
        sb.append(d.contrast() ? " - avec gadolinium" : " - sans gadolinium");
        if (d.contrastOptional()) {
            sb.append(" (optionnel)");
        }
        return truncate(sb.toString(), LO_MAX);
    }

    /** Same as {@link #spsDescription(Decision, String)} with no RIS description to fall back on. */
    public static String spsDescription(Decision d) {
        return spsDescription(d, null);
    }

    /**
     * Requested Contrast Agent (0032,1070): "gadobutrol 7.00 mmol 7.0 mL", or "Gd 0.1 mmol/kg - poids inconnu"
     * when the weight is missing; null when no contrast.
     */
    public static String requestedContrastAgent(Decision d) {
        if (d == null || !d.contrast()) {
            return null;
        }
        ContrastDose dose = d.contrastDose();
        if (dose == null) {
            return "Gd macrocyclique 0.1 mmol/kg - poids inconnu";
        }
        return truncate(dose.agent() + " " + OfsepDecisionEngine.fmt(dose.mmol(), 2) + " mmol "
                + OfsepDecisionEngine.fmt(dose.ml(), 1) + " mL", LO_MAX);
    }

    /** Requested Procedure Comments (0040,1400): the reasons, one per line, at most 10240 characters. */
    public static String procedureComments(Decision d) {
        if (d == null || d.reasons().isEmpty()) {
            return null;
        }
        return truncate(String.join("\n", d.reasons()), LT_MAX);
    }

    /**
     * Medical Alerts (0010,2000) as separate values (LO, VM 1-n): each alert at most 64 characters, a backslash
     * (the DICOM value delimiter) replaced by "/". Empty when there is no alert. The values travel as a list to
     * the DICOM encoder: they are never joined into one string and split again. A longer alert (a conflict
     * between two values quotes the order's text) is cut visibly, at a word boundary and marked "..."
     * ({@link FreeText#cut}), never in the middle of a value the technologist would read as whole; the decision
     * keeps the full text (the board).
     */
    public static List<String> medicalAlerts(Decision d) {
        return d == null ? List.of() : loValues(d.alerts());
    }

    /**
     * Allergies (0010,2110) as separate values (LO, VM 1-n): the allergens the order names
     * ({@link Decision#allergies}), made to fit as Medical Alerts are: a backslash replaced by "/", a value over 64
     * characters cut visibly at a word boundary and marked "..."; the decision keeps the whole (the board). An AL1
     * allergen written at length ("Amoxicilline/acide clavulanique (Augmentin) : éruption généralisée en 2019")
     * does not refuse the MRI order.
     */
    public static List<String> allergies(Decision d) {
        return d == null ? List.of() : loValues(d.allergies());
    }

    private static List<String> loValues(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            out.add(FreeText.cut(v.replace('\\', '/'), LO_MAX));
        }
        return out;
    }

    static String truncate(String s, int max) {
        if (s == null) {
            return null;
        }
        if (s.length() <= max) {
            return s;
        }
        int end = max;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--; // never cut a surrogate pair in half
        }
        return s.substring(0, end);
    }
}
