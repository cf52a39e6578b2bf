package org.ofsep.mwl.core.domain;

import java.time.LocalDateTime;
import java.util.List;

/**
 * A Modality Performed Procedure Step instance as the gateway keeps it (PS3.4 Annex F).
 *
 * @param sopInstanceUid   Affected SOP Instance UID of the N-CREATE
 * @param status           "IN PROGRESS", "COMPLETED" or "DISCONTINUED" (0040,0252)
 * @param patientId        (0010,0020)
 * @param studyInstanceUid from the Scheduled Step Attributes Sequence, may be null
 * @param scheduledStepIds SPS IDs referenced (0040,0009) in the Scheduled Step Attributes Sequence; empty = unscheduled
 * @param accessionNumber  from the Scheduled Step Attributes Sequence, may be null
 * @param performedStationAeTitle (0040,0241)
 * @param start            PPS start date/time
 * @param end              PPS end date/time, null while in progress
 * @param performedProtocolCodes Performed Protocol Code Sequence (0040,0260)
 * @param dataset          the full current attribute set, encoded by gateway-dicom (opaque to the core)
 */
public record PerformedStep(String sopInstanceUid, String status, String patientId, String studyInstanceUid,
                            List<String> scheduledStepIds, String accessionNumber, String performedStationAeTitle,
                            LocalDateTime start, LocalDateTime end, List<ProtocolCode> performedProtocolCodes,
                            byte[] dataset) {
    public PerformedStep {
        scheduledStepIds = scheduledStepIds == null ? List.of() : List.copyOf(scheduledStepIds);
        performedProtocolCodes = performedProtocolCodes == null ? List.of() : List.copyOf(performedProtocolCodes);
    }
}
