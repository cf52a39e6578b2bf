package org.ofsep.mwl.core.store;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;
import org.ofsep.mwl.core.domain.SpsStatus;

/**
 * The indexed part of a worklist query, translated by gateway-dicom from a C-FIND identifier. Null means
 * universal matching for that key. String keys may hold DICOM wildcards '*' and '?'; the store turns them into
 * SQL LIKE. Keys the store does not index are matched by gateway-dicom on the returned items.
 *
 * @param stationAeTitles  Scheduled Station AE Title values (a list means any of them)
 * @param modality         Modality in the SPS
 * @param startFrom        SPS start lower bound, inclusive (date-time range combined from date and time keys)
 * @param startTo          SPS start upper bound, inclusive
 * @param patientId        Patient ID, wildcards allowed
 * @param issuerOfPatientId Issuer of Patient ID
 * @param patientName      Patient's Name pattern in PN form, wildcards allowed
 * @param fuzzyNames       case- and accent-insensitive name matching
 * @param accessionNumber  wildcards allowed
 * @param requestedProcedureId wildcards allowed
 * @param spsId            Scheduled Procedure Step ID
 * @param studyInstanceUids list of UID matching
 * @param statuses         SPS statuses to return; empty means the default (SCHEDULED, and STARTED when configured)
 * @param limit            maximum items to return; 0 = no limit
 */
public record WorklistQuery(List<String> stationAeTitles, String modality, LocalDateTime startFrom,
                            LocalDateTime startTo, String patientId, String issuerOfPatientId, String patientName,
                            boolean fuzzyNames, String accessionNumber, String requestedProcedureId, String spsId,
                            List<String> studyInstanceUids, Set<SpsStatus> statuses, int limit) {
    public WorklistQuery {
        stationAeTitles = stationAeTitles == null ? List.of() : List.copyOf(stationAeTitles);
        studyInstanceUids = studyInstanceUids == null ? List.of() : List.copyOf(studyInstanceUids);
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
    }

    /** Universal query: every active item. */
    public static WorklistQuery all() {
        return new WorklistQuery(null, null, null, null, null, null, null, false, null, null, null, null, null, 0);
    }
}
