package org.ofsep.mwl.core.domain;

import java.time.LocalDate;

/**
 * Patient demographics as the worklist carries them.
 *
 * @param id        Patient ID (PID-3.1)
 * @param issuer    Issuer of Patient ID (PID-3.4), may be null
 * @param name      name in DICOM PN form "FAMILY^GIVEN^MIDDLE^PREFIX^SUFFIX", Unicode
 * @param birthDate may be null
 * @param sex       M, F, O or null
 */
public record Patient(String id, String issuer, String name, LocalDate birthDate, String sex) {
}
