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
     * Why a study the PACS returned is not this patient's MR study, null when it is: another Patient ID, or none (a
     * study returned without one is not the patient's: Patient ID is the query's matching key, which a PACS
     * returns, so its absence proves nothing and a PACS that matched too widely would give another patient's
     * exams); another issuer when both are known ({@link #sameIssuer}); or Modalities in Study that do not include
     * MR (a study without them is kept: its series say).
     */
    public PriorAnswer.Reason whySetAside(PriorStudy study) {
        if (study.patientId() == null || !patientId.equals(study.patientId())) {
            return PriorAnswer.Reason.OTHER_PATIENT_ID;
        }
        if (!sameIssuer(study.issuerOfPatientId())) {
            return PriorAnswer.Reason.OTHER_ISSUER;
        }
        if (!study.modalities().isEmpty() && study.modalities().stream().noneMatch("MR"::equalsIgnoreCase)) {
            return PriorAnswer.Reason.NOT_MR;
        }
        return null;
    }

    /** Whether a study the PACS returned belongs to this patient (same ID; same issuer when both are known). */
    public boolean sameIssuer(String returnedIssuer) {
        return issuerOfPatientId == null || returnedIssuer == null || returnedIssuer.isBlank()
                || issuerOfPatientId.equalsIgnoreCase(returnedIssuer.trim());
    }

    /**
     * The studies that can be this patient's when the order names no issuer: the PACS said several issuers (two
     * hospitals' patients share the Patient ID) and nothing tells which one the order's patient is, so only the
     * studies without an issuer are kept (another hospital's 3D FLAIR would otherwise take this patient's Gd away).
     * With the order's issuer known, or a single issuer in the answer, the studies as they are.
     */
    public java.util.List<PriorStudy> unambiguous(java.util.List<PriorStudy> studies) {
        if (issuerOfPatientId != null) {
            return studies;
        }
        long issuers = studies.stream().map(PriorStudy::issuerOfPatientId)
                .filter(i -> i != null && !i.isBlank()).map(i -> i.trim().toUpperCase(java.util.Locale.ROOT))
                .distinct().count();
        if (issuers <= 1) {
            return studies;
        }
        return studies.stream().filter(st -> st.issuerOfPatientId() == null || st.issuerOfPatientId().isBlank())
                .toList();
    }
}
