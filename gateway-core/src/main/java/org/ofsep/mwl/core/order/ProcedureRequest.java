package org.ofsep.mwl.core.order;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.ofsep.mwl.core.domain.ProtocolCode;
import org.ofsep.mwl.core.domain.RequestedPriority;

/**
 * One ordered procedure step as the RIS sent it (one OBR, or one IPC in OMI^O23). All strings are Unicode,
 * HL7 escapes already resolved. Nullable fields are null when the message did not carry them.
 *
 * @param accessionNumber         OBR-18 (or IPC-1)
 * @param requestedProcedureId    OBR-19 (or IPC-2); null means the gateway generates one
 * @param procedureCode           OBR-4 code, scheme and text
 * @param scheduledStart          ORC-7.4 / OBR-27.4 / TQ1-7
 * @param modality                OBR-24 (or IPC-5); null means MR
 * @param reason                  OBR-31 text
 * @param clinicalInfo            OBR-13 text
 * @param studyInstanceUid        ZDS-1 (or IPC-3), null means generate
 * @param spsId                   IPC-4, null means generate
 * @param stationAeTitle          IPC-9 when the RIS names the station, else null
 * @param fields                  raw field values for station rules, keyed like "OBR-21", "PV1-3", "ORC-13"
 * @param observations            OBX segments that follow this OBR (and those shared by the order)
 * @param comments                NTE-3 comments of the order and of this OBR (and of its OBX), one per NTE
 * @param priority                the order's priority as the HL7 edge mapped it (TQ1-9, else ORC-7.6, else
 *                                OBR-27.6), or null: none given, or a code that maps to no DICOM term
 */
public record ProcedureRequest(String accessionNumber, String requestedProcedureId, ProtocolCode procedureCode,
                               LocalDateTime scheduledStart, String modality, String reason, String clinicalInfo,
                               String studyInstanceUid, String spsId, String stationAeTitle,
                               Map<String, String> fields, List<Observation> observations,
                               List<String> comments, RequestedPriority priority) {
    public ProcedureRequest {
        fields = fields == null ? Map.of() : Map.copyOf(fields);
        observations = observations == null ? List.of() : List.copyOf(observations);
        comments = comments == null ? List.of() : List.copyOf(comments);
    }

    /** A procedure without a priority. */
    public ProcedureRequest(String accessionNumber, String requestedProcedureId, ProtocolCode procedureCode,
                            LocalDateTime scheduledStart, String modality, String reason, String clinicalInfo,
                            String studyInstanceUid, String spsId, String stationAeTitle,
                            Map<String, String> fields, List<Observation> observations, List<String> comments) {
        this(accessionNumber, requestedProcedureId, procedureCode, scheduledStart, modality, reason, clinicalInfo,
                studyInstanceUid, spsId, stationAeTitle, fields, observations, comments, null);
    }

    /** A procedure without NTE comments nor priority. */
    public ProcedureRequest(String accessionNumber, String requestedProcedureId, ProtocolCode procedureCode,
                            LocalDateTime scheduledStart, String modality, String reason, String clinicalInfo,
                            String studyInstanceUid, String spsId, String stationAeTitle,
                            Map<String, String> fields, List<Observation> observations) {
        this(accessionNumber, requestedProcedureId, procedureCode, scheduledStart, modality, reason, clinicalInfo,
                studyInstanceUid, spsId, stationAeTitle, fields, observations, List.of(), null);
    }
}
