package org.ofsep.mwl.core.service;

import org.ofsep.mwl.core.decision.WorklistTexts;
import org.ofsep.mwl.core.domain.Decision;
import org.ofsep.mwl.core.domain.ProtocolCode;

/**
 * The free-text attributes of a worklist item derived from the decision: SPS Description, Requested Contrast
 * Agent, Requested Procedure Comments, Medical Alerts. The wording belongs to the decision module
 * ({@link WorklistTexts}); this seam lets a site or a test supply other texts without touching the order service.
 */
public interface ItemTexts {

    /** The texts for one step. */
    record Texts(String spsDescription, String contrastAgent, String comments, java.util.List<String> medicalAlerts) {
    }

    Texts texts(Decision decision, ProtocolCode requestedProcedureCode);

    /** The decision module's wording ({@link WorklistTexts}), within the DICOM value lengths. */
    ItemTexts DEFAULT = (decision, code) -> new Texts(
            WorklistTexts.spsDescription(decision, code == null ? null : code.meaning()),
            WorklistTexts.requestedContrastAgent(decision),
            WorklistTexts.procedureComments(decision),
            WorklistTexts.medicalAlerts(decision));
}
