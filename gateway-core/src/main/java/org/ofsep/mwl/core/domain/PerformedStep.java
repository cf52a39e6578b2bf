package org.ofsep.mwl.core.domain;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A Modality Performed Procedure Step instance as the gateway keeps it (PS3.4 Annex F).
 *
 * @param sopInstanceUid   Affected SOP Instance UID of the N-CREATE
 * @param status           "IN PROGRESS", "COMPLETED" or "DISCONTINUED" (0040,0252)
 * @param patientId        (0010,0020)
 * @param studyInstanceUid from the first item of the Scheduled Step Attributes Sequence, may be null
 * @param scheduledStepIds SPS IDs referenced (0040,0009) in the Scheduled Step Attributes Sequence; empty = none
 *                         given (an item may still name its step by its study, see {@code references})
 * @param accessionNumber  from the first item of the Scheduled Step Attributes Sequence, may be null
 * @param performedStationAeTitle (0040,0241)
 * @param start            PPS start date/time
 * @param end              PPS end date/time, null while in progress
 * @param performedProtocolCodes Performed Protocol Code Sequence (0040,0260)
 * @param dataset          the full current attribute set, encoded by gateway-dicom (opaque to the core)
 * @param references       each item of the Scheduled Step Attributes Sequence with its own SPS ID, Study Instance
 *                         UID and accession (the IHE group case references steps of several requested procedures,
 *                         whose SPS IDs may repeat); an item without SPS ID (Type 2) is a reference with a null
 *                         {@code spsId} when it names a Study Instance UID
 * @param discontinuationReason the first code of PPS Discontinuation Reason Code Sequence (0040,0281) as
 *                         "value^scheme" (e.g. "110514^DCM", Incorrect Worklist Entry Selected), or null
 */
public record PerformedStep(String sopInstanceUid, String status, String patientId, String studyInstanceUid,
                            List<String> scheduledStepIds, String accessionNumber, String performedStationAeTitle,
                            LocalDateTime start, LocalDateTime end, List<ProtocolCode> performedProtocolCodes,
                            byte[] dataset, List<StepReference> references, String discontinuationReason) {

    /** One item of the Scheduled Step Attributes Sequence. */
    public record StepReference(String spsId, String studyInstanceUid, String accessionNumber) {
    }

    /** DCM 110514: the modality picked the wrong worklist entry (IHE RAD TF-2 4.7.4.1.3.1). */
    public static final String INCORRECT_WORKLIST_ENTRY = "110514^DCM";

    public PerformedStep {
        scheduledStepIds = scheduledStepIds == null ? List.of() : List.copyOf(scheduledStepIds);
        performedProtocolCodes = performedProtocolCodes == null ? List.of() : List.copyOf(performedProtocolCodes);
        if (references == null || references.isEmpty()) {
            List<StepReference> derived = new ArrayList<>();
            for (String sps : scheduledStepIds) {
                derived.add(new StepReference(sps, studyInstanceUid, accessionNumber));
            }
            references = derived;
        }
        references = List.copyOf(references);
    }

    /** One reference per SPS ID, all with the same study and accession (no discontinuation reason). */
    public PerformedStep(String sopInstanceUid, String status, String patientId, String studyInstanceUid,
                         List<String> scheduledStepIds, String accessionNumber, String performedStationAeTitle,
                         LocalDateTime start, LocalDateTime end, List<ProtocolCode> performedProtocolCodes,
                         byte[] dataset) {
        this(sopInstanceUid, status, patientId, studyInstanceUid, scheduledStepIds, accessionNumber,
                performedStationAeTitle, start, end, performedProtocolCodes, dataset, null, null);
    }

    /** Whether the modality discontinued it because it had picked the wrong worklist entry. */
    public boolean wrongWorklistEntry() {
        return "DISCONTINUED".equals(status == null ? null : status.trim()) && discontinuationReason != null
                && INCORRECT_WORKLIST_ENTRY.equalsIgnoreCase(discontinuationReason.trim());
    }
}
