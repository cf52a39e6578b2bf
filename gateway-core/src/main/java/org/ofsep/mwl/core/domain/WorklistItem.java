package org.ofsep.mwl.core.domain;

import java.time.LocalDateTime;
import java.util.List;

/**
 * One Scheduled Procedure Step on the worklist, with its requested procedure and the OFSEP decision.
 * All strings are Unicode; gateway-dicom encodes them in the response's Specific Character Set.
 *
 * @param id                 database key, 0 before it is stored
 * @param spsId              Scheduled Procedure Step ID (0040,0009)
 * @param requestedProcedureId Requested Procedure ID (0040,1001)
 * @param accessionNumber    (0008,0050)
 * @param studyInstanceUid   (0020,000D)
 * @param placerOrderNumber  ORC-2
 * @param fillerOrderNumber  ORC-3
 * @param patient            demographics
 * @param weightKg           Patient's Weight (0010,1030), may be null
 * @param requestedProcedureCode the RIS's code (0032,1064)
 * @param requestedProcedureDescription (0032,1060)
 * @param scheduledStart     SPS Start Date/Time (0040,0002)/(0040,0003)
 * @param modality           (0008,0060)
 * @param stationAeTitle     Scheduled Station AE Title (0040,0001)
 * @param stationName        Scheduled Station Name (0040,0010)
 * @param spsDescription     (0040,0007), e.g. "OFSEP ROUTINE - sans gadolinium"
 * @param reason             Reason for the Requested Procedure (0040,1002)
 * @param referringPhysician (0008,0090) PN form
 * @param status             SPS status
 * @param decision           OFSEP decision (or pass-through)
 * @param medicalAlerts      Medical Alerts (0010,2000): one value per alert (LO, each at most 64 characters), empty when
 *                           none
 * @param requestedContrastAgent (0032,1070): agent, dose and volume, or null
 * @param procedureComments  Requested Procedure Comments (0040,1400): the reasons
 * @param specificCharacterSet charset of the source order in DICOM terms ("ISO_IR 100", "ISO_IR 192") or null
 * @param priority           Requested Procedure Priority (0040,1003) from the order, or null (empty in the worklist)
 */
public record WorklistItem(long id, String spsId, String requestedProcedureId, String accessionNumber,
                           String studyInstanceUid, String placerOrderNumber, String fillerOrderNumber,
                           Patient patient, Double weightKg, ProtocolCode requestedProcedureCode,
                           String requestedProcedureDescription, LocalDateTime scheduledStart, String modality,
                           String stationAeTitle, String stationName, String spsDescription, String reason,
                           String referringPhysician, SpsStatus status, Decision decision, List<String> medicalAlerts,
                           String requestedContrastAgent, String procedureComments, String specificCharacterSet,
                           RequestedPriority priority) {

    public WorklistItem {
        medicalAlerts = medicalAlerts == null ? List.of() : List.copyOf(medicalAlerts);
    }

    public WorklistItem withStatus(SpsStatus newStatus) {
        return new WorklistItem(id, spsId, requestedProcedureId, accessionNumber, studyInstanceUid,
                placerOrderNumber, fillerOrderNumber, patient, weightKg, requestedProcedureCode,
                requestedProcedureDescription, scheduledStart, modality, stationAeTitle, stationName,
                spsDescription, reason, referringPhysician, newStatus, decision, medicalAlerts,
                requestedContrastAgent, procedureComments, specificCharacterSet, priority);
    }

    public WorklistItem withId(long newId) {
        return new WorklistItem(newId, spsId, requestedProcedureId, accessionNumber, studyInstanceUid,
                placerOrderNumber, fillerOrderNumber, patient, weightKg, requestedProcedureCode,
                requestedProcedureDescription, scheduledStart, modality, stationAeTitle, stationName,
                spsDescription, reason, referringPhysician, status, decision, medicalAlerts,
                requestedContrastAgent, procedureComments, specificCharacterSet, priority);
    }

    public WorklistItem withPatient(Patient newPatient) {
        return new WorklistItem(id, spsId, requestedProcedureId, accessionNumber, studyInstanceUid,
                placerOrderNumber, fillerOrderNumber, newPatient, weightKg, requestedProcedureCode,
                requestedProcedureDescription, scheduledStart, modality, stationAeTitle, stationName,
                spsDescription, reason, referringPhysician, status, decision, medicalAlerts,
                requestedContrastAgent, procedureComments, specificCharacterSet, priority);
    }
}
