package org.ofsep.mwl.core.priors;

import java.time.LocalDate;
import java.util.Objects;

/**
 * What the gateway asks the PACS: the MR studies of one patient between two dates.
 *
 * @param patientId         Patient ID (PID-3.1)
 * @param issuerOfPatientId Issuer of Patient ID (PID-3.4), null when unknown
 * @param from              first study date (today minus the look-back)
 * @param to                last study date (today)
 */
public record PriorQuery(String patientId, String issuerOfPatientId, LocalDate from, LocalDate to) {
    public PriorQuery {
        Objects.requireNonNull(patientId, "patientId");
        if (patientId.isBlank()) {
            throw new IllegalArgumentException("patientId is blank");
        }
        issuerOfPatientId = issuerOfPatientId == null || issuerOfPatientId.isBlank() ? null : issuerOfPatientId.trim();
    }

    /**
     * Whether a study the PACS returned is this patient's: exactly the same Patient ID (a study returned without
     * one is not: Patient ID is the query's matching key, which a PACS returns, so its absence proves nothing and
     * a PACS that matched too widely would give another patient's exams), and the same issuer when both are known.
     */
    public boolean samePatient(String returnedPatientId, String returnedIssuer) {
        return returnedPatientId != null && patientId.equals(returnedPatientId) && sameIssuer(returnedIssuer);
    }

    /** Whether a study the PACS returned belongs to this patient (same ID; same issuer when both are known). */
    public boolean sameIssuer(String returnedIssuer) {
        return issuerOfPatientId == null || returnedIssuer == null || returnedIssuer.isBlank()
                || issuerOfPatientId.equalsIgnoreCase(returnedIssuer.trim());
    }
}
