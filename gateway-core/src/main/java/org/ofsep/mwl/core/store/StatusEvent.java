package org.ofsep.mwl.core.store;

import java.time.Instant;
import org.ofsep.mwl.core.domain.ProtocolCode;

/**
 * A status change the RIS must hear about (from MPPS), queued durably and sent in order per order.
 *
 * @param id                queue key
 * @param placerOrderNumber ORC-2
 * @param fillerOrderNumber ORC-3
 * @param accessionNumber   OBR-18
 * @param spsId             the step
 * @param patientId         PID-3
 * @param status            "IP", "CM", "DC" or "SC" (ORC-5 values)
 * @param occurredAt        when the modality reported it
 * @param attempts          delivery attempts so far
 * @param details           what else the message names, or null (events queued before it was kept)
 */
public record StatusEvent(long id, String placerOrderNumber, String fillerOrderNumber, String accessionNumber,
                          String spsId, String patientId, String status, Instant occurredAt, int attempts,
                          Details details) {

    /**
     * The step's fields a RIS requires in the message besides the keys: the patient's name (PID-5, HL7 marks it
     * required) and the issuer of the ID (PID-3.4), the procedure (OBR-4), the Requested Procedure ID and Study
     * Instance UID (OMI's IPC-2 and IPC-3, required there).
     *
     * @param patientName         the name as the worklist holds it (DICOM PN: family^given^middle^prefix^suffix)
     * @param issuerOfPatientId   PID-3.4, or null
     * @param requestedProcedureId the Requested Procedure ID
     * @param studyInstanceUid    the Study Instance UID
     * @param procedureCode       the RIS's procedure code (OBR-4), or null
     */
    public record Details(String patientName, String issuerOfPatientId, String requestedProcedureId,
                          String studyInstanceUid, ProtocolCode procedureCode) {
    }

    /** An event without details. */
    public StatusEvent(long id, String placerOrderNumber, String fillerOrderNumber, String accessionNumber,
                       String spsId, String patientId, String status, Instant occurredAt, int attempts) {
        this(id, placerOrderNumber, fillerOrderNumber, accessionNumber, spsId, patientId, status, occurredAt,
                attempts, null);
    }
}
