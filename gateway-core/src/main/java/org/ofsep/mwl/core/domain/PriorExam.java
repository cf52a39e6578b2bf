package org.ofsep.mwl.core.domain;

import java.time.LocalDate;

/**
 * A completed exam in the patient's history (recorded from MPPS COMPLETED), usable as a comparable prior MRI.
 *
 * @param patientId  Patient ID
 * @param date       date performed
 * @param examCard   OFSEP card performed, null when not an OFSEP exam
 * @param contrast   Gd was given
 * @param contrastMmol Gd dose in mmol when known, else null
 * @param spine      the spine was imaged
 * @param accessionNumber accession of the exam, may be null
 */
public record PriorExam(String patientId, LocalDate date, ExamCard examCard, boolean contrast, Double contrastMmol,
                        boolean spine, String accessionNumber) {
}
