package org.ofsep.mwl.core.service;

import java.util.Locale;
import org.ofsep.mwl.core.domain.ContrastDose;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ProtocolCode;

/**
 * The free-text attributes of a worklist item derived from the decision: SPS Description, Requested Contrast
 * Agent, Requested Procedure Comments, Medical Alerts. Kept in one place so the wording the decision module
 * owns (its WorklistTexts helper) can replace this default without touching the order service.
 */
public interface ItemTexts {

    /** The texts for one step. */
    record Texts(String spsDescription, String contrastAgent, String comments, String medicalAlerts) {
    }

    Texts texts(Decision decision, ProtocolCode requestedProcedureCode);

    /** A plain default: "OFSEP ROUTINE - sans gadolinium", dose text, reasons and alerts joined. */
    ItemTexts DEFAULT = (decision, code) -> {
        String description;
        if (decision != null && decision.ofsep() && decision.examCard() != null) {
            description = "OFSEP " + decision.examCard().name()
                    + (decision.contrast() ? " - avec gadolinium" : " - sans gadolinium")
                    + (decision.spine() ? " + moelle" : "");
        } else {
            description = code == null ? null : code.meaning();
        }
        String agent = null;
        if (decision != null && decision.contrast()) {
            ContrastDose dose = decision.contrastDose();
            agent = dose == null ? "gadolinium"
                    : String.format(Locale.ROOT, "%s %.1f mmol (%.1f mL)", dose.agent(), dose.mmol(), dose.ml());
        }
        String comments = decision == null || decision.reasons().isEmpty() ? null
                : String.join(" ; ", decision.reasons());
        String alerts = decision == null || decision.alerts().isEmpty() ? null : String.join(" ; ", decision.alerts());
        return new Texts(truncate(description, 64), agent, truncate(comments, 10240), truncate(alerts, 10240));
    };

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
