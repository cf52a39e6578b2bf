package org.ofsep.mwl.core.priors;

import java.time.LocalDate;
import java.util.List;

/**
 * One previous study of the patient as the PACS described it (C-FIND STUDY level or QIDO-RS /studies), with
 * its series. Fields may be null when the PACS did not return them.
 *
 * @param studyInstanceUid  (0020,000D)
 * @param date              Study Date (0008,0020)
 * @param description       Study Description (0008,1030)
 * @param patientId         Patient ID (0010,0020) as returned
 * @param issuerOfPatientId Issuer of Patient ID (0010,0021) as returned, may be null
 * @param modalities        Modalities in Study (0008,0061)
 * @param procedureCodes    Procedure Code Sequence (0008,1032) code values, when returned
 * @param accessionNumber   (0008,0050)
 * @param series            the study's series (may be empty when the PACS returned none)
 */
public record PriorStudy(String studyInstanceUid, LocalDate date, String description, String patientId,
                         String issuerOfPatientId, List<String> modalities, List<String> procedureCodes,
                         String accessionNumber, List<PriorSeries> series) {

    public PriorStudy {
        modalities = modalities == null ? List.of() : List.copyOf(modalities);
        procedureCodes = procedureCodes == null ? List.of() : List.copyOf(procedureCodes);
        series = series == null ? List.of() : List.copyOf(series);
    }

    public PriorStudy withSeries(List<PriorSeries> newSeries) {
        return new PriorStudy(studyInstanceUid, date, description, patientId, issuerOfPatientId, modalities,
                procedureCodes, accessionNumber, newSeries);
    }

    /** The date to order studies by: the study date, else the earliest series date. */
    public LocalDate effectiveDate() {
        if (date != null) {
            return date;
        }
        return series.stream().map(PriorSeries::date).filter(d -> d != null).min(LocalDate::compareTo).orElse(null);
    }
}
